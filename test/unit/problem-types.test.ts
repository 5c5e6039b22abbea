import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  PROBLEM_TYPES,
  PROBLEM_TYPES_PAGE,
  problemTypeUri,
  type ProblemType,
} from '../../shared/api/problem-types.js';
import { problemResponse } from '../../shared/http/problem.js';

/** The page's `## name` sections, each with its text up to the next one. */
async function pageSections(): Promise<Map<string, string>> {
  const page = await readFile(PROBLEM_TYPES_PAGE, 'utf8');
  const sections = new Map<string, string>();
  for (const part of page.split(/^## /m).slice(1)) {
    const [heading = '', ...rest] = part.split('\n');
    sections.set(heading.trim(), rest.join('\n'));
  }
  return sections;
}

describe('docs/problems.md', () => {
  it('has exactly one entry per problem type, each with its title, statuses, meaning, cause and what to do', async () => {
    const sections = await pageSections();
    const types = Object.keys(PROBLEM_TYPES) as ProblemType[];
    expect([...sections.keys()].sort()).toEqual([...types].sort());
    for (const type of types) {
      const { title, statuses } = PROBLEM_TYPES[type];
      const text = sections.get(type) ?? '';
      expect(text, type).toContain(`**${title}** · `);
      for (const status of statuses) expect(text, type).toContain(`\`${status}\``);
      for (const part of ['Meaning', 'Cause', 'What to do']) {
        expect(text, `${type}: ${part}`).toMatch(new RegExp(`^- \\*\\*${part}:\\*\\* \\S`, 'm'));
      }
    }
  });

  it('is where every problem response points, by an anchor GitHub makes from the heading', () => {
    const response = problemResponse(
      { type: 'upstream-circuit-open', status: 503, detail: 'Partner Center failed.' },
      'c0ffee00-0000-4000-8000-000000000000',
    );
    const body = JSON.parse(response.body as string) as { type: string; title: string };
    expect(body.type).toBe('docs/problems.md#upstream-circuit-open');
    expect(body.title).toBe('Upstream circuit open');
    for (const type of Object.keys(PROBLEM_TYPES) as ProblemType[]) {
      // A heading's anchor is its text lower-cased with spaces as dashes: the names are already.
      expect(type).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(problemTypeUri(type)).toBe(`docs/problems.md#${type}`);
    }
  });
});
