/**
 * Reads an answer's JSON without trusting its size: a body larger than the limit is refused from its
 * `Content-Length`, or, while it streams, as soon as the bytes counted pass the limit, so an
 * oversized answer costs at most the limit in memory and is never read to its end.
 */
import { AttemptError } from "./_internal.ts";

/**
 * The body parsed as JSON. Throws a non-retryable AttemptError when it is larger than `maxBytes`
 * (the body is cancelled), a retryable one when it is not UTF-8 JSON, and the stream's own error
 * when the request times out, is aborted or breaks while the body streams.
 */
export async function readJsonWithin(response: Response, maxBytes: number): Promise<unknown> {
  const declared = Number(response.headers.get("Content-Length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes, response.status);
  }
  const bytes = await readBytesWithin(response, maxBytes);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AttemptError("the answer is not JSON", { retryable: true, status: response.status, cause: error });
  }
}

async function readBytesWithin(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes, response.status);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBytes: number, status: number): AttemptError {
  return new AttemptError(`the answer is larger than ${maxBytes} bytes`, { retryable: false, status });
}
