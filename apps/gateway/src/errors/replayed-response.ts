/** Thrown to answer with a response kept under an Idempotency-Key, byte for byte. */
export class ReplayedResponse extends Error {
  override readonly name = 'ReplayedResponse';

  constructor(
    readonly status: number,
    /** The JSON text of the first response's body. */
    readonly body: string,
  ) {
    super('a kept idempotent response');
  }
}
