/**
 * How webob renders an HTTP error, re-expressed: Placement, Glance and Heat build their error
 * bodies from webob's templates, so their clients see these exact strings.
 */

/** The request facts webob's templates read. */
export interface WebobRequest {
  /** The request method, e.g. `GET`. */
  readonly method: string;
  /** The raw `Accept` header, if any. */
  readonly accept: string | undefined;
  /** The raw `Content-Type` header, if any. */
  readonly contentType: string | undefined;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: webob's template text, not ours
const HTTP_ACCEPT = "${HTTP_ACCEPT}"; // webob's safe_substitute leaves a missing variable as written
// biome-ignore lint/suspicious/noTemplateCurlyInString: as above
const CONTENT_TYPE = "${CONTENT_TYPE}";

/** webob's body before tag stripping: the status's template filled with explanation and detail. */
export function webobBody(status: number, explanation: string, detail: string, req: WebobRequest): string {
  switch (status) {
    case 405:
      return `The method ${req.method} is not allowed for this resource. <br /><br />\n${detail}`;
    case 406:
      return (
        "The resource could not be generated that was acceptable to your browser\n" +
        `(content of type ${req.accept ?? HTTP_ACCEPT}. <br /><br />\n${detail}`
      );
    case 415:
      return `The request media type ${req.contentType ?? CONTENT_TYPE} is not supported by this server.\n<br /><br />\n${detail}`;
    case 501:
      return `\nThe request method ${req.method} is not implemented for this server. <br /><br />\n${detail}`;
    default:
      return `${explanation}<br /><br />\n${detail}\n\n`;
  }
}

/** webob's strip_tags: newlines become spaces, `<br>` becomes a newline, other tags vanish. */
export function stripTags(value: string): string {
  return value
    .replaceAll("\n", " ")
    .replaceAll("\r", "")
    .replace(/<br.*?>/gis, "\n")
    .replace(/<!--|-->/g, "")
    .replace(/<.*?>/gs, "");
}

/** Which of webob's renderings the `Accept` header selects: html, json, or plain text. */
export function webobRendering(accept: string | undefined): "html" | "json" | "plain" {
  if (accept === undefined) return "plain";
  let best: { kind: "html" | "json"; q: number } | null = null;
  for (const kind of ["html", "json"] as const) {
    const q = acceptQuality(accept, kind === "html" ? "text/html" : "application/json");
    if (q > 0 && (best === null || q > best.q)) best = { kind, q };
  }
  return best?.kind ?? "plain";
}

function acceptQuality(accept: string, offer: string): number {
  const [type] = offer.split("/");
  let quality = 0;
  let specificity = -1;
  for (const part of accept.split(",")) {
    const [range = "", ...params] = part.trim().toLowerCase().split(";");
    const spec = range === offer ? 2 : range === `${type}/*` ? 1 : range === "*/*" ? 0 : -1;
    if (spec <= specificity) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    specificity = spec;
    quality = qParam === undefined ? 1 : Number(qParam.slice(2)) || 0;
  }
  return quality;
}

const escapeHtml = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** webob's text/html page for an error (`status` is the full line, e.g. `404 Not Found`). */
export function webobHtml(
  statusLine: string,
  explanation: string,
  detail: string,
  status: number,
  req: WebobRequest,
): string {
  const body = webobBody(status, escapeHtml(explanation), escapeHtml(detail), req);
  return `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${body}\n </body>\n</html>`;
}

/** webob's text/plain rendering: the status line, a blank line, the stripped body. */
export function webobPlain(
  statusLine: string,
  explanation: string,
  detail: string,
  status: number,
  req: WebobRequest,
): string {
  return `${statusLine}\n\n${stripTags(webobBody(status, explanation, detail, req))}`;
}
