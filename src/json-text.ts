/**
 * A response body that is already JSON text (history jobs are stored serialized). The endpoint
 * layer sends `text` as is; anything that serializes it again gets the same value back.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
