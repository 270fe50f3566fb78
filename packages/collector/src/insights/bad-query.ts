/** A query parameter an insight cannot use: the API answers 400 with this message. */
export class BadInsightQuery extends Error {
  override readonly name = 'BadInsightQuery';
}
