/** `POST /v3/auth/tokens`: the body Keystone accepts, as a zod schema. */
import { z } from "zod";

const DomainRef = z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() });
const UserRef = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  domain: DomainRef.optional(),
});

export const AuthRequestBody = z.object({
  auth: z.object({
    identity: z.looseObject({
      methods: z.array(z.string()).min(1),
      password: z.object({ user: UserRef.extend({ password: z.string() }) }).optional(),
      token: z.object({ id: z.string().min(1) }).optional(),
      application_credential: z
        .object({
          id: z.string().optional(),
          name: z.string().optional(),
          secret: z.string(),
          user: UserRef.optional(),
        })
        .optional(),
    }),
    scope: z
      .union([
        z.literal("unscoped"),
        z.object({
          project: z
            .object({
              id: z.string().min(1).optional(),
              name: z.string().min(1).optional(),
              domain: DomainRef.optional(),
            })
            .optional(),
          domain: DomainRef.optional(),
          system: z.object({ all: z.literal(true) }).optional(),
          "OS-TRUST:trust": z.object({ id: z.string() }).optional(),
        }),
      ])
      .optional(),
  }),
});

export type AuthRequest = z.infer<typeof AuthRequestBody>["auth"];
