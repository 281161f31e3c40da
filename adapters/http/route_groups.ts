/**
 * Splits the document's paths into small groups that a request can find with a few map lookups, so
 * that @koa/router, which tests every route's regular expression in turn, only tests a request
 * against its few neighbours. With every operation in one router, that loop cost about a tenth of
 * a containment request's CPU time, and every new operation made every request slower.
 *
 * A path template belongs to the group named by its number of segments and its leading literal
 * segments (at most `LITERAL_DEPTH`, up to its first parameter), lower-cased as @koa/router matches
 * them: `/api/v1/enterprise-catalogs/{uuid}/contains_content_items/` → `5 api/v1/enterprise-catalogs`.
 * A request path goes to the group of its own segment count with the longest such prefix.
 */

/** Most leading literal segments a group is named by. */
const LITERAL_DEPTH = 3;

/** Path templates (`/things/{id}/`) grouped so that a request path finds its group's value. */
export class RouteGroups<V> {
  /** By segment count, then by the leading literal segments joined with `/`. */
  readonly #groups = new Map<number, Map<string, { readonly value: V; readonly templates: TemplateKey[] }>>();

  /** The value of the template's group, made by `create` the first time the group is seen. */
  groupOf(template: string, create: () => V): V {
    const key = templateKey(template);
    const { segments, literals } = key;
    let byPrefix = this.#groups.get(segments);
    if (byPrefix === undefined) {
      byPrefix = new Map();
      this.#groups.set(segments, byPrefix);
    }
    const prefix = literals.join("/");
    let group = byPrefix.get(prefix);
    if (group === undefined) {
      group = { value: create(), templates: [] };
      byPrefix.set(prefix, group);
    }
    group.templates.push(key);
    return group.value;
  }

  /**
   * Throws a TypeError when a request could match a template of a group it is not sent to: when a
   * parameter of one template stands where another template of as many segments has a literal
   * (`/a/{id}/c` next to `/a/b/d`, where `/a/b/c` would go to the second one's group only).
   */
  checkUnambiguous(): void {
    const keys = [...this.#groups.values()].flatMap((byPrefix) => [...byPrefix.values()].flatMap((group) => group.templates));
    for (const open of keys) {
      if (open.literals.length >= Math.min(LITERAL_DEPTH, open.segments)) continue;
      const shadowing = keys.find((other) =>
        other.segments === open.segments && other.literals.length > open.literals.length &&
        open.literals.every((literal, i) => other.literals[i] === literal));
      if (shadowing !== undefined) {
        throw new TypeError(`Path "${open.template}" has a parameter where "${shadowing.template}" has a literal segment; the router cannot group them`);
      }
    }
  }

  /** The value of the group a request path (raw, as `ctx.path`) goes to, or undefined. */
  find(path: string): V | undefined {
    const lower = path.toLowerCase();
    const end = trimmedLength(lower);
    // Where each of the first LITERAL_DEPTH segments ends, and how many segments there are; per
    // request, so without splitting the path into strings.
    const ends: number[] = [];
    let segments = 0;
    for (let i = 1; i <= end; i++) {
      if (i === end || lower.charCodeAt(i) === SLASH) {
        segments++;
        if (ends.length < LITERAL_DEPTH) ends.push(i);
      }
    }
    const byPrefix = this.#groups.get(segments);
    if (byPrefix === undefined) return undefined;
    for (let depth = ends.length; depth >= 0; depth--) {
      const group = byPrefix.get(depth === 0 ? "" : lower.slice(1, ends[depth - 1]));
      if (group !== undefined) return group.value;
    }
    return undefined;
  }
}

/** A template with what names its group: its segment count and leading literal segments. */
interface TemplateKey {
  readonly template: string;
  readonly segments: number;
  readonly literals: readonly string[];
}

function templateKey(template: string): TemplateKey {
  const segments = withoutTrailingSlash(template).split("/").slice(1);
  const firstParameter = segments.findIndex((segment) => segment.includes("{"));
  const literalCount = Math.min(LITERAL_DEPTH, firstParameter === -1 ? segments.length : firstParameter);
  return { template, segments: segments.length, literals: segments.slice(0, literalCount).map((segment) => segment.toLowerCase()) };
}

const SLASH = "/".charCodeAt(0);

/** The trailing slash is optional in every route, as in @koa/router's non-strict matching. */
function trimmedLength(path: string): number {
  return path.length > 1 && path.endsWith("/") ? path.length - 1 : path.length;
}

/** A route's path without its optional trailing slash ("/" stays as it is). */
export function withoutTrailingSlash(path: string): string {
  return path.slice(0, trimmedLength(path));
}
