/**
 * The messages the HTTP layer itself writes into faults, worded as each service words them.
 */
import type { ServiceName } from "./service-profile.js";
import { pyRepr, type ValidationIssue } from "./validation.js";

export interface KitMessages {
  /** The body is not JSON; `reason` is the parser's complaint. */
  malformedBody(reason: string): string;
  /** No route has this path. */
  readonly routeNotFound: string;
  /** The path exists but not with this method. */
  readonly methodNotAllowed: string;
  /** The body is larger than `limit` bytes. */
  tooLarge(limit: number): string;
  /** The Content-Type is not JSON. */
  unsupportedMediaType(contentType: string): string;
  /** Something unexpected failed; says nothing about what. */
  readonly internal: string;
  /** The server is draining for shutdown. */
  readonly shuttingDown: string;
  /** The microversion header is not `major.minor`. */
  invalidVersion(requested: string): string;
  /** The microversion is outside the supported range. */
  versionNotAcceptable(requested: string, min: string, max: string): string;
  /** A zod validation failure, as the service's validator would word it. */
  invalidInput(issue: ValidationIssue): string;
}

const byPath = (issue: ValidationIssue): string => issue.path.join("/");

/** Nova's and Cinder's api/validation wording (WSME style). */
const novaInvalidInput = (issue: ValidationIssue): string => {
  if (issue.location !== "body") {
    return `Invalid input for query parameters ${String(issue.path[0] ?? issue.location)}. Value: ${pyRepr(issue.value)}. ${issue.reason}`;
  }
  if (!issue.present) {
    const parentName = issue.path.at(-2);
    return parentName === undefined
      ? issue.reason
      : `Invalid input for field/attribute ${String(parentName)}. Value: ${pyRepr(issue.parent)}. ${issue.reason}`;
  }
  const name = issue.path.at(-1);
  return name === undefined
    ? issue.reason
    : `Invalid input for field/attribute ${String(name)}. Value: ${pyRepr(issue.value)}. ${issue.reason}`;
};

const BASE: KitMessages = {
  malformedBody: () => "Malformed request body",
  routeNotFound: "The resource could not be found.",
  methodNotAllowed: "The method specified is not allowed for this resource.",
  tooLarge: (limit) => `Request is too large. Larger than max_request_body_size (${limit}).`,
  unsupportedMediaType: () => "Unsupported Content-Type",
  internal: "The server has either erred or is incapable of performing the requested operation.",
  shuttingDown: "The server is currently unavailable. Please try again at a later time.",
  invalidVersion: (v) => `API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`,
  versionNotAcceptable: (v, min, max) =>
    `Version ${v} is not supported by the API. Minimum is ${min} and maximum is ${max}.`,
  invalidInput: (issue) =>
    issue.path.length === 0 ? issue.reason : `Invalid input for field '${byPath(issue)}': ${issue.reason}`,
};

const KEYSTONE_INVALID =
  " The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.";

/** Per-service wording; what is not listed is BASE. */
const OVERRIDES: Readonly<Record<ServiceName, Partial<KitMessages>>> = {
  identity: {
    malformedBody: () => `Expecting to find valid JSON in request body.${KEYSTONE_INVALID}`,
    unsupportedMediaType: () =>
      "Expecting to find application/json in Content-Type header - the server could not comply with the request" +
      " since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
    internal: "An unexpected error prevented the server from fulfilling your request.",
    invalidInput: (issue) => {
      const parentPath = issue.path.slice(0, -1).join("/");
      if (!issue.present)
        return parentPath === "" ? issue.reason : `Invalid input for field '${parentPath}': ${issue.reason}`;
      return issue.path.length === 0 ? issue.reason : `Invalid input for field '${byPath(issue)}': ${issue.reason}`;
    },
  },
  compute: {
    internal: "Unexpected API Error. Please report this to the cloud operator with the request id.",
    invalidInput: novaInvalidInput,
  },
  block: {
    internal: "Unexpected API Error. Please report this to the cloud operator with the request id.",
    invalidInput: novaInvalidInput,
  },
  network: {
    internal: "Request Failed: internal server error while processing your request.",
    invalidInput: (issue) =>
      issue.present
        ? `Invalid input for ${String(issue.path.at(-1) ?? issue.location)}. Reason: ${issue.reason}.`
        : `Failed to parse request. Required attribute '${String(issue.path.at(-1) ?? issue.location)}' not specified`,
  },
  placement: {
    routeNotFound: "", // Placement's router raises a bare HTTPNotFound: webob's explanation says it all
    malformedBody: (reason) => `Malformed JSON: ${reason}`,
    invalidVersion: (v) => `invalid version string: ${v}`,
    versionNotAcceptable: (v) => `Unacceptable version header: ${v}`,
    invalidInput: (issue) =>
      issue.location === "body"
        ? `JSON does not validate: ${issue.reason}`
        : `Invalid query string parameters: ${issue.reason}`,
  },
  image: { malformedBody: () => "Malformed JSON in request body." },
  orchestration: {
    tooLarge: (limit) => `Request limit exceeded: JSON body size exceeds maximum allowed size (${limit} bytes).`,
  },
};

/** The kit's messages for `service`. Pure. */
export function messagesFor(service: ServiceName): KitMessages {
  return { ...BASE, ...OVERRIDES[service] };
}
