// A bounded, sequenced log of what an emulator saw (requests, frames), so a long `npm start`
// session cannot grow without limit.

const MAX_RECORDS = 5000;

/** What a request record says about authentication; null where a check did not run (unsigned
 * route, or rejected before it). */
export interface RequestAudit {
  readonly apiKey: string | null;
  readonly signatureValid: boolean | null;
  readonly timestampValid: boolean | null;
}

/** What every venue records of a REST call or WebSocket upgrade (never a secret). */
export interface RequestRecordBase extends RequestAudit {
  readonly seq: number;
  /** Venue clock (ms) when the request arrived. */
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly httpStatus: number;
}

export class RecordLog<T extends { readonly seq: number }> {
  private items: T[] = [];
  private lastSeq = 0;

  /** Records `record` under the next sequence number. */
  append(record: Omit<T, 'seq'>): T {
    return this.add((seq) => ({ seq, ...record }) as T);
  }

  add(make: (seq: number) => T): T {
    this.lastSeq += 1;
    const item = make(this.lastSeq);
    this.items.push(item);
    if (this.items.length > MAX_RECORDS) this.items.splice(0, this.items.length - MAX_RECORDS);
    return item;
  }

  list(filter: (item: T) => boolean = () => true): T[] {
    return this.items.filter(filter);
  }

  clear(): void {
    this.items = [];
  }
}

/** The `GET /requests?since=&kind=` filter, the same on every venue. */
export interface RequestFilter<K extends string> {
  readonly sinceSeq?: number;
  readonly kind?: K;
}

export function matchesRequestFilter<T extends { readonly seq: number; readonly kind: string }>(filter: RequestFilter<T['kind']>): (record: T) => boolean {
  return (r) => (filter.sinceSeq === undefined || r.seq > filter.sinceSeq) && (filter.kind === undefined || r.kind === filter.kind);
}
