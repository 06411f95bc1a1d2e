/**
 * Keystone (keystone/server/flask/application.py): `{"error": {"code", "title", "message"}}`.
 * keystonemiddleware rejects a bad token with the same shape in every service.
 */
import type { Fault } from "../fault.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

export const keystoneFaults: FaultFormatter = {
  render(fault: Fault) {
    const body = { error: { code: fault.status, title: fault.title, message: fault.message } };
    return { contentType: JSON_TYPE, body: JSON.stringify(body), headers: {} };
  },
};
