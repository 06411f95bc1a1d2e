/**
 * @stratus/identity tokens on their own: a Keystone-layout key repository, a project-scoped
 * token, rotation (old tokens still validate), revocation, and a tampered token refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StratusError } from "@stratus/core";
import {
  FernetKeyRepository,
  InMemoryRevocationStore,
  RevocationIndex,
  revokeUser,
  TokenProvider,
} from "@stratus/identity";

const dir = mkdtempSync(join(tmpdir(), "stratus-keys-"));
try {
  const keys = FernetKeyRepository.setup(dir, { recheckMs: 0 }); // files 0 and 1, like keystone-manage fernet_setup
  const revocations = new RevocationIndex({ store: new InMemoryRevocationStore() });
  const tokens = new TokenProvider({ keys, revocations });

  const userId = "8a4d9c2b7e1f4f0a9c3b5d6e7f809a1b";
  const projectId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  const { token } = tokens.issue({ userId, methods: ["password"], scope: { kind: "project", projectId } });
  const first = await tokens.validate(token);
  console.log(
    `issued a ${token.length}-character token; validates as ${first.kind} scope, methods ${first.methods.join(",")}`,
  );

  keys.rotate(); // the old primary becomes a secondary: tokens it signed still validate
  const afterRotate = await tokens.validate(token).then(
    () => "valid",
    () => "refused",
  );
  console.log(`after a key rotation the token is ${afterRotate}`);

  const tampered = `${token.slice(0, 20)}${token[20] === "A" ? "B" : "A"}${token.slice(21)}`;
  const tamperedOutcome = await tokens
    .validate(tampered)
    .catch((err: unknown) => (StratusError.is(err) ? err.code : "crash"));
  console.log(`a tampered token: ${String(tamperedOutcome)}`);

  await revocations.revoke(revokeUser(userId));
  const revoked = await tokens
    .validate(token)
    .catch((err: unknown) => (StratusError.is(err) ? err.details["reason"] : "crash"));
  console.log(`after revoking the user's tokens: ${String(revoked)}`);

  if (afterRotate !== "valid" || tamperedOutcome !== "unauthorized" || revoked !== "revoked") process.exit(1);
  console.log("ok");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
