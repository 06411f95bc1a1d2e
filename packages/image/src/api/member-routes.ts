/**
 * `/v2/images/{id}/members` and `/v2/images/{id}/members/{member_id}`: image sharing, as
 * glance.api.v2.image_members under Glance's default (new) policies. The owner (or an admin) adds
 * and removes projects as members of a `shared` image; a member sees only its own membership and
 * alone (or an admin) sets its status; the owner sees every member.
 */
import { badRequest, conflict, forbidden, notFound, payloadTooLarge, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { type ImageRouteContext, isAdmin, projectOf } from "./context.js";
import { glanceTime, type Image, type ImageMember, MEMBER_STATUSES, type MemberStatus } from "./model.js";

type ImageParams = { id: string };
type MemberParams = { id: string; member_id: string };

/** Glance's default `image_member_quota`. */
export const DEFAULT_MEMBER_QUOTA = 128;

/** The JSON body Glance returns for one member. */
export function memberView(member: ImageMember): Record<string, unknown> {
  return {
    member_id: member.member_id,
    image_id: member.image_id,
    status: member.status,
    created_at: glanceTime(member.created_at),
    updated_at: glanceTime(member.updated_at),
    schema: "/v2/schemas/member",
  };
}

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === "object" && body !== null && !Array.isArray(body);

/** The member id of a `POST .../members` body; throws `bad_request` in Glance's words. */
export function readMemberBody(body: unknown): string {
  if (body === undefined || body === null || body === "") throw badRequest("Body expected in request.");
  if (!isObject(body)) throw badRequest('Expected a member in the form: {"member": "image_id"}');
  if (!("member" in body)) throw badRequest("Member to be added not specified");
  const member = body["member"];
  if (!member) throw badRequest("Member can't be empty");
  // Glance stores any truthy value in a 255-character column; we keep to strings that fit
  if (typeof member !== "string") throw badRequest('Expected a member in the form: {"member": "image_id"}');
  if (member.length > 255) throw badRequest(`Invalid member '${member.slice(0, 32)}...': longer than 255 characters`);
  return member;
}

/**
 * The status of a `PUT .../members/{member_id}` body, unchecked: Glance's deserializer only
 * requires one; `memberStatus` checks its value after the lookups and the policy.
 */
export function readStatusBody(body: unknown): unknown {
  if (body === undefined || body === null || body === "") throw badRequest("Body expected in request.");
  if (!isObject(body)) throw badRequest('Expected a status in the form: {"status": "status"}');
  if (!("status" in body)) throw badRequest("Status not specified");
  return body["status"];
}

/** `status` as a member status; throws `bad_request` with Glance's message otherwise. */
export function memberStatus(status: unknown): MemberStatus {
  if (typeof status !== "string" || !(MEMBER_STATUSES as readonly string[]).includes(status))
    throw badRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
  return status as MemberStatus;
}

const policyDenied = (action: string) => forbidden(`You are not authorized to complete ${action} action.`);

/**
 * Registers the member routes. `maxMembers` is Glance's `image_member_quota` (a negative value
 * means no limit).
 */
export function registerMemberRoutes(app: ServiceApp, ctx: ImageRouteContext, maxMembers = DEFAULT_MEMBER_QUOTA): void {
  const { repository } = ctx;

  /** The image as `_lookup_image` finds it: hidden and missing ones are Glance's 404. */
  const lookupImage = async (request: FastifyRequest, id: string): Promise<Image> => {
    try {
      return await ctx.visibleImage(request, id);
    } catch (error) {
      if (StratusError.is(error) && error.code === "not_found") throw notFound(`Image ${id} not found.`);
      throw error;
    }
  };
  const isOwner = (request: FastifyRequest, image: Image) => image.owner !== null && image.owner === projectOf(request);
  /** Whether the caller sees every member (admin, owner) or only its own membership. */
  const seesAll = (request: FastifyRequest, image: Image) => isAdmin(request) || isOwner(request, image);
  /** The member as `_lookup_member` finds it (a member sees only itself); else Glance's 404. */
  const lookupMember = async (request: FastifyRequest, image: Image, memberId: string): Promise<ImageMember> => {
    const member =
      seesAll(request, image) || memberId === projectOf(request)
        ? await repository.getMember(image.id, memberId)
        : null;
    if (member === null) throw notFound(`${memberId} not found in the member list of the image ${image.id}.`);
    return member;
  };

  app.post<{ Params: ImageParams }>("/v2/images/:id/members", async (request) => {
    const memberId = readMemberBody(request.body);
    const image = await lookupImage(request, request.params.id);
    if (image.visibility !== "shared") throw forbidden(`Not allowed to create members for image ${image.id}.`);
    if (!seesAll(request, image)) throw policyDenied("add_member");
    const attempted = (await repository.listMembers(image.id)).length + 1;
    if (maxMembers >= 0 && attempted > maxMembers)
      throw payloadTooLarge(
        `Image member limit exceeded for image ${image.id}: The limit has been exceeded on the number of allowed image members for this image. Attempted: ${attempted}, Maximum: ${maxMembers}:`,
      );
    const now = ctx.now();
    const member: ImageMember = {
      image_id: image.id,
      member_id: memberId,
      status: "pending",
      created_at: now,
      updated_at: now,
    };
    try {
      await repository.addMember(member);
    } catch (error) {
      if (StratusError.is(error) && error.code === "conflict")
        throw conflict(`Member ${memberId} is duplicated for image ${image.id}`);
      throw error;
    }
    return memberView(member);
  });

  app.get<{ Params: ImageParams }>("/v2/images/:id/members", async (request) => {
    const image = await lookupImage(request, request.params.id);
    if (image.visibility !== "shared")
      throw forbidden(`Not allowed to list members for image ${image.id}: Only shared images have members.`);
    const all = await repository.listMembers(image.id);
    const project = projectOf(request);
    const members = seesAll(request, image) ? all : all.filter((m) => m.member_id === project);
    return { members: members.map(memberView), schema: "/v2/schemas/members" };
  });

  app.get<{ Params: MemberParams }>("/v2/images/:id/members/:member_id", async (request) => {
    const image = await lookupImage(request, request.params.id);
    // Glance turns this Forbidden into a 404 so as not to leak anything
    if (image.visibility !== "shared") throw notFound("Only shared images have members.");
    return memberView(await lookupMember(request, image, request.params.member_id));
  });

  app.put<{ Params: MemberParams }>("/v2/images/:id/members/:member_id", async (request) => {
    const status = readStatusBody(request.body);
    const image = await lookupImage(request, request.params.id);
    if (image.visibility !== "shared") throw forbidden(`Not allowed to update members for image ${image.id}.`);
    const member = await lookupMember(request, image, request.params.member_id);
    // modify_member: an admin, or the member project itself (never the owner)
    if (!isAdmin(request) && (isOwner(request, image) || member.member_id !== projectOf(request)))
      throw policyDenied("modify_member");
    const next = memberStatus(status);
    const updated = await repository.updateMember(image.id, member.member_id, (current) => ({
      ...current,
      status: next,
      updated_at: ctx.now(),
    }));
    return memberView(updated);
  });

  app.delete<{ Params: MemberParams }>("/v2/images/:id/members/:member_id", async (request, reply) => {
    const image = await lookupImage(request, request.params.id);
    if (image.visibility !== "shared") throw forbidden(`Not allowed to delete members for image ${image.id}.`);
    const member = await lookupMember(request, image, request.params.member_id);
    if (!seesAll(request, image)) throw policyDenied("delete_member");
    await repository.deleteMember(image.id, member.member_id);
    return reply.code(204).send();
  });
}
