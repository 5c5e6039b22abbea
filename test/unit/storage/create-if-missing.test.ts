import { RestError } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { createIfMissing } from '../../../shared/storage/tables.js';

/** A 409 as the SDK raises it: Table Storage's error code in the details, from its header. */
const refusing = (errorCode: string | undefined) => ({
  createTable: () => {
    const error = new RestError('Conflict', { statusCode: 409 });
    if (errorCode !== undefined) error.details = { errorCode };
    return Promise.reject(error);
  },
});

describe('createIfMissing', () => {
  it('takes a table that exists as created', async () => {
    await expect(createIfMissing(refusing('TableAlreadyExists'))).resolves.toBeUndefined();
    await expect(createIfMissing(refusing(undefined))).resolves.toBeUndefined();
  });

  it('fails for a table being deleted, which is not there yet', async () => {
    await expect(createIfMissing(refusing('TableBeingDeleted'))).rejects.toThrow('Conflict');
  });

  it('fails for any other refusal', async () => {
    const forbidden = {
      createTable: () => Promise.reject(new RestError('Forbidden', { statusCode: 403 })),
    };
    await expect(createIfMissing(forbidden)).rejects.toThrow('Forbidden');
  });
});
