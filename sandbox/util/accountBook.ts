// The seeded merchant accounts of an emulator's store, found by API key, user id or the
// reference a control route takes (an index among the venue's accounts, or the API key).

export interface BookedAccount {
  readonly apiKey: string;
  readonly userId: string;
}

export class AccountBook<A extends BookedAccount> {
  readonly accounts: A[] = [];

  addAccount(account: A): void {
    this.accounts.push(account);
  }

  accountByApiKey(apiKey: string): A | undefined {
    return this.accounts.find((a) => a.apiKey === apiKey);
  }

  accountByUserId(userId: string): A | undefined {
    return this.accounts.find((a) => a.userId === userId);
  }

  /** An index among the accounts, or an API key. */
  accountByRef(ref: number | string): A | undefined {
    return typeof ref === 'string' ? this.accountByApiKey(ref) : this.accounts[ref];
  }
}
