/**
 * Form-encoded bodies, for the operations whose document accepts
 * `application/x-www-form-urlencoded` besides JSON: edx-enterprise sends the content filter of
 * `get_content_filter_hash` as a form (`requests`' `data=`), which Django reads as a QueryDict.
 */
import { bodyParser } from "@koa/bodyparser";
import type Koa from "koa";

/** A form's fields as a JSON object: a field sent once is a string, a field repeated is the list of its values, in order. */
export function formFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = Object.hasOwn(fields, name) ? fields[name] : undefined;
    fields[name] = seen === undefined ? value : [...(typeof seen === "string" ? [seen] : seen), value];
  }
  return fields;
}

/** Whether the request's body is form-encoded. */
export function isFormRequest(ctx: Koa.Context): boolean {
  return typeof ctx.request.is("application/x-www-form-urlencoded") === "string";
}

/**
 * Reads a form body into `ctx.request.body` (see `formFields`) and leaves its JSON text in
 * `ctx.request.rawBody`, so the operation sees the same request a JSON client would have sent.
 */
export function formBodyReader(limitBytes: number): (ctx: Koa.Context) => Promise<void> {
  const parse = bodyParser({ enableTypes: ["form"], formLimit: limitBytes, parsedMethods: ["POST", "PUT", "PATCH", "GET", "DELETE"], encoding: "utf-8" });
  return async (ctx) => {
    await parse(ctx, () => Promise.resolve());
    const text = typeof ctx.request.rawBody === "string" ? ctx.request.rawBody : "";
    const fields = formFields(text);
    ctx.request.body = fields;
    ctx.request.rawBody = text.trim() === "" ? "" : JSON.stringify(fields);
  };
}
