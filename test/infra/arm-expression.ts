/**
 * Evaluates what `bicep snapshot` leaves unevaluated in a predicted resource: ARM template
 * expressions ("[format('…', reference(…).outputs.clientId.value)]") over values that exist only
 * once Azure has created something (a module's output, such as the identity's client id). The
 * caller says what each such output stands for; a function this evaluator does not know throws,
 * so a template change that needs a new one is noticed rather than guessed.
 */

/** A module output known only at deployment: `(module, output) → value`. */
export type DeploymentOutputs = (module: string, output: string) => string;

type Value = string | Deployment | Outputs | { readonly [key: string]: Value };

/** The result of reference(<a module's deployment>). */
class Deployment {
  constructor(
    readonly module: string,
    readonly outputs: DeploymentOutputs,
  ) {}
}

/** reference(…).outputs: each output read as `.name.value`. */
class Outputs {
  constructor(readonly deployment: Deployment) {}
  output(name: string): { value: string } {
    return { value: this.deployment.outputs(this.deployment.module, name) };
  }
}

export function isExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** Every string (and object key) of a resource's properties, evaluated. */
export function evaluateAll(value: unknown, outputs: DeploymentOutputs): unknown {
  if (typeof value === 'string') return evaluate(value, outputs);
  if (Array.isArray(value)) return value.map((item) => evaluateAll(item, outputs));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        evaluate(key, outputs),
        evaluateAll(item, outputs),
      ]),
    );
  }
  return value;
}

/** environment() of Azure's public cloud, where `bicep snapshot` leaves it unevaluated. */
const AZURE_CLOUD: Value = {
  name: 'AzureCloud',
  suffixes: { storage: 'core.windows.net', keyvaultDns: '.vault.azure.net' },
  authentication: { loginEndpoint: 'https://login.microsoftonline.com/' },
};

/** The value of a string property: itself, or its expression evaluated. */
export function evaluate(value: string, outputs: DeploymentOutputs): string {
  if (!isExpression(value)) return value;
  const parser = new Parser(value.slice(1, -1), outputs);
  const result = parser.expression();
  parser.end();
  if (typeof result !== 'string') throw new Error(`Not a string: ${value}`);
  return result;
}

class Parser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly outputs: DeploymentOutputs,
  ) {}

  end(): void {
    this.skipSpace();
    if (this.at !== this.text.length) this.fail('unexpected text');
  }

  expression(): Value {
    this.skipSpace();
    let value = this.text[this.at] === "'" ? this.stringLiteral() : this.call();
    for (;;) {
      if (this.text[this.at] !== '.') return value;
      this.at++;
      value = this.property(value, this.identifier());
    }
  }

  private property(value: Value, name: string): Value {
    if (value instanceof Deployment) {
      return name === 'outputs' ? new Outputs(value) : this.fail(`reference(…).${name}`);
    }
    if (value instanceof Outputs) return value.output(name);
    if (typeof value === 'object' && name in value) return value[name] as Value;
    return this.fail(`no property ${name}`);
  }

  private call(): Value {
    const name = this.identifier();
    this.expect('(');
    const args: Value[] = [];
    this.skipSpace();
    if (this.text[this.at] !== ')') {
      for (;;) {
        args.push(this.expression());
        this.skipSpace();
        if (this.text[this.at] !== ',') break;
        this.at++;
      }
    }
    this.expect(')');
    return this.apply(name, args);
  }

  private apply(name: string, args: Value[]): Value {
    const text = (value: Value | undefined): string => {
      if (typeof value !== 'string') this.fail(`${name}: expected a string argument`);
      return value;
    };
    switch (name) {
      case 'format':
        return text(args[0]).replace(/\{(\d+)\}/g, (_, i: string) => text(args[Number(i) + 1]));
      case 'concat':
        return args.map(text).join('');
      case 'uniqueString':
        return `unique${String(args.length)}`;
      case 'deployment':
        return { name: 'deployment' };
      case 'environment':
        return AZURE_CLOUD;
      case 'resourceId':
        return args.map(text).join('/');
      case 'reference': {
        const id = text(args[0]);
        const module = /Microsoft\.Resources\/deployments\/([A-Za-z]+)-/.exec(id)?.[1];
        if (module === undefined) return this.fail(`reference to ${id}`);
        return new Deployment(module, this.outputs);
      }
      default:
        return this.fail(`unknown function ${name}`);
    }
  }

  private stringLiteral(): string {
    let value = '';
    this.at++; // opening quote
    for (;;) {
      const char = this.text[this.at++];
      if (char === undefined) this.fail('unterminated string');
      if (char === "'") {
        if (this.text[this.at] !== "'") return value;
        this.at++;
      }
      value += char;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
    if (match === null) this.fail('expected a name');
    this.at += match[0].length;
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) this.fail(`expected ${char}`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.text[this.at] === ' ') this.at++;
  }

  private fail(problem: string): never {
    throw new Error(`ARM expression, at ${String(this.at)}: ${problem} in [${this.text}]`);
  }
}
