import { describe, expect, it } from 'vitest';
import {
  compareRoutePrecedence,
  compileRouteTemplate,
} from '../../dev/local-host/route-template.js';

const guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('compileRouteTemplate', () => {
  it('matches literal segments case-insensitively, ignoring outer slashes', () => {
    const route = compileRouteTemplate('customers/qualifications');
    expect(route.match('Customers/QUALIFICATIONS')).toEqual({});
    expect(route.match('/customers/qualifications/')).toEqual({});
    expect(route.match('customers')).toBeUndefined();
    expect(route.match('customers/qualifications/extra')).toBeUndefined();
  });

  it('captures parameters, URL-decoded', () => {
    const route = compileRouteTemplate('customers/{customerId}/notes/{note}');
    expect(route.match('customers/a%20b/notes/x%2Fy')).toEqual({ customerId: 'a b', note: 'x/y' });
    expect(route.match('customers//notes/x')).toBeUndefined();
  });

  it('makes {name?} optional', () => {
    const route = compileRouteTemplate('items/{id?}');
    expect(route.match('items')).toEqual({});
    expect(route.match('items/7')).toEqual({ id: '7' });
    expect(route.match('items/7/8')).toBeUndefined();
  });

  it('applies the guid constraint in the formats .NET accepts', () => {
    const route = compileRouteTemplate('customers/{id:guid}');
    expect(route.match(`customers/${guid}`)).toEqual({ id: guid });
    expect(route.match(`customers/${guid.toUpperCase()}`)).toEqual({ id: guid.toUpperCase() });
    expect(route.match(`customers/${guid.replaceAll('-', '')}`)).toBeDefined();
    expect(route.match(`customers/%7B${guid}%7D`)).toBeDefined();
    expect(route.match(`customers/${guid.slice(1)}`)).toBeUndefined();
    expect(route.match(`customers/{${guid})`)).toBeUndefined();
    expect(route.match('customers/not-a-guid')).toBeUndefined();
  });

  it('applies the int constraint within 32-bit range', () => {
    const route = compileRouteTemplate('pages/{n:int}');
    expect(route.match('pages/42')).toEqual({ n: '42' });
    expect(route.match('pages/-2147483648')).toEqual({ n: '-2147483648' });
    expect(route.match('pages/2147483648')).toBeUndefined();
    expect(route.match('pages/4.2')).toBeUndefined();
    expect(route.match('pages/x')).toBeUndefined();
  });

  it('applies the alpha constraint, and chained constraints together', () => {
    expect(compileRouteTemplate('{word:alpha}').match('Hello')).toEqual({ word: 'Hello' });
    expect(compileRouteTemplate('{word:alpha}').match('hello1')).toBeUndefined();
    expect(compileRouteTemplate('{v:int:alpha}').match('1')).toBeUndefined();
  });

  it('captures the rest of the path with {*rest}', () => {
    const route = compileRouteTemplate('files/{*path}');
    expect(route.match('files/a/b%20c/d')).toEqual({ path: 'a/b c/d' });
    expect(route.match('files')).toEqual({});
  });

  it('matches the empty template only at the prefix root', () => {
    expect(compileRouteTemplate('').match('')).toEqual({});
    expect(compileRouteTemplate('').match('x')).toBeUndefined();
  });

  it.each([
    ['a/{b}x', /not supported/],
    ['a/{b:regex(x)}', /not supported/],
    ['a/{b:long}', /constraint 'long' is not supported/],
    ['{*rest}/tail', /catch-all/],
    ['{a?}/{b}', /optional/],
    ['{a}/{A}', /twice/],
    ['a//b', /empty segment/],
  ])('refuses %s at compile time', (template, message) => {
    expect(() => compileRouteTemplate(template)).toThrow(message);
  });
});

describe('compareRoutePrecedence', () => {
  const ordered = (...templates: string[]): string[] =>
    templates
      .map(compileRouteTemplate)
      .sort(compareRoutePrecedence)
      .map((route) => route.template);

  it('puts more literal segments first', () => {
    expect(ordered('items/{id}', 'items/special')).toEqual(['items/special', 'items/{id}']);
  });

  it('puts constrained parameters before unconstrained ones', () => {
    expect(ordered('items/{name}', 'items/{id:int}')).toEqual(['items/{id:int}', 'items/{name}']);
  });

  it('puts a catch-all after a single parameter', () => {
    expect(ordered('items/{*rest}', 'items/{id}')).toEqual(['items/{id}', 'items/{*rest}']);
  });

  it('keeps registration order between equals', () => {
    expect(ordered('b/{x}', 'a/{y}')).toEqual(['b/{x}', 'a/{y}']);
  });
});
