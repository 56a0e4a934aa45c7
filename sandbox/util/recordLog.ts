// A bounded, sequenced log of what an emulator saw (requests, frames), so a long `npm start`
// session cannot grow without limit.

const MAX_RECORDS = 5000;

export class RecordLog<T extends { readonly seq: number }> {
  private items: T[] = [];
  private lastSeq = 0;

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
