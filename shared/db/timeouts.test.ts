import { describe, expect, it } from 'vitest';
import { timeoutParameters } from './timeouts.ts';

describe('timeoutParameters', () => {
  it('sends the limits that are set, in milliseconds, and leaves the server its own for 0', () => {
    expect(timeoutParameters({ statementMs: 900_000, idleInTransactionMs: 60_000, lockMs: 0 }))
      .toEqual({ statement_timeout: '900000', idle_in_transaction_session_timeout: '60000' });
    expect(timeoutParameters({ statementMs: 0, idleInTransactionMs: 0, lockMs: 0 })).toEqual({});
  });
});
