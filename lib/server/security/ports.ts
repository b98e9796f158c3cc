/** A row holding sealed values: its key, how a report names it, and its values by name. */
export interface SealedRow {
  key: string;
  label: string;
  values: Record<string, string>;
}

/**
 * Every place a sealed value rests (each sealed column, and the Secret companions' `data.sealed`). A new
 * sealed column must be listed by the implementation, or rotation leaves it behind
 * (tests/integration/security/key-rotation.test.ts checks every value opens with the new key only).
 */
export interface SealedValueStore {
  /** The places, by table name, in the order a reseal visits them. */
  places(): readonly string[];
  /** How many sealed values each key id holds (`v1` for values from before key ids). */
  keyUsage(): Promise<Record<string, number>>;
  /**
   * One short transaction: locks (FOR UPDATE) up to `batch` rows of `place` holding a value not sealed with
   * the key `keyId`, except the rows keyed in `skip`, and writes the values `reseal` answers for each
   * (undefined: the row is left as it is). Answers how many rows it locked (0: none is left).
   */
  resealBatch(
    place: string,
    keyId: string,
    skip: readonly string[],
    batch: number,
    reseal: (row: SealedRow) => Record<string, string> | undefined,
  ): Promise<number>;
}

export interface SealedValueDeps {
  sealed: SealedValueStore;
}
