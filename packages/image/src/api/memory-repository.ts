/**
 * An ImageRepository in Maps: for tests and the embedded server.
 */
import { conflict, notFound } from "@stratus/core/errors";
import type { Image, ImageMember } from "./model.js";
import type { ImageFilter, ImageListRequest, ImageRepository, ImageUsage, TimeComparison } from "./repository.js";
import { compareBy, DEFAULT_SORT } from "./sort.js";

const compareTime = (iso: string, c: TimeComparison): boolean => {
  const [a, b] = [Date.parse(iso), Date.parse(c.at)];
  const ops = { eq: a === b, neq: a !== b, gt: a > b, gte: a >= b, lt: a < b, lte: a <= b };
  return ops[c.op];
};

/** Whether the image's own attributes pass `f` (everything but visibility). */
function matchesAttributes(image: Image, f: ImageFilter): boolean {
  const size = image.size;
  return (
    (f.names === undefined || (image.name !== null && f.names.includes(image.name))) &&
    (f.ids === undefined || f.ids.includes(image.id)) &&
    (f.diskFormat === undefined || image.disk_format === f.diskFormat) &&
    (f.containerFormat === undefined || image.container_format === f.containerFormat) &&
    (f.owner === undefined || image.owner === f.owner) &&
    (f.checksum === undefined || image.checksum === f.checksum) &&
    (f.osHashValue === undefined || image.os_hash_value === f.osHashValue) &&
    (f.protected === undefined || image.protected === f.protected) &&
    (f.size === undefined || size === f.size) &&
    (f.sizeMin === undefined || (size !== null && size >= f.sizeMin)) &&
    (f.sizeMax === undefined || (size !== null && size <= f.sizeMax)) &&
    (f.minDisk === undefined || image.min_disk === f.minDisk) &&
    (f.minRam === undefined || image.min_ram === f.minRam) &&
    (f.tags === undefined || f.tags.every((t) => image.tags.includes(t))) &&
    (f.properties === undefined || Object.entries(f.properties).every(([k, v]) => image.properties[k] === v)) &&
    (f.createdAt === undefined || compareTime(image.created_at, f.createdAt)) &&
    (f.updatedAt === undefined || compareTime(image.updated_at, f.updatedAt))
  );
}

/** Whether `image` passes `f`; `memberOf` is the listing project's membership of the image. */
export function matchesFilter(image: Image, f: ImageFilter, memberOf: ImageMember | undefined): boolean {
  if (!matchesAttributes(image, f)) return false;
  if (f.name !== undefined && image.name !== f.name) return false;
  if (f.status !== undefined && image.status !== f.status) return false;
  if (f.visibility !== undefined && image.visibility !== f.visibility) return false;
  if (f.osHidden !== undefined && image.os_hidden !== f.osHidden) return false;
  if (f.visibleTo === undefined) return true;
  if (image.owner === f.visibleTo) return true;
  if (image.visibility === "public") return true;
  if (image.visibility === "community") return f.visibility === "community";
  if (image.visibility !== "shared" || memberOf === undefined) return false;
  const wanted = f.memberStatus ?? "accepted";
  return wanted === "all" || memberOf.status === wanted;
}

const byCreation = (a: ImageMember, b: ImageMember): number =>
  a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.member_id < b.member_id ? -1 : 1;

const memberKey = (imageId: string, memberId: string): string => `${imageId}\u0000${memberId}`;

export class MemoryImageRepository implements ImageRepository {
  readonly #images = new Map<string, Image>();
  readonly #members = new Map<string, ImageMember>();

  async get(id: string): Promise<Image | null> {
    return this.#images.get(id) ?? null;
  }

  async create(image: Image): Promise<void> {
    if (this.#images.has(image.id)) throw conflict(`Image with identifier ${image.id} already exists!`);
    this.#images.set(image.id, image);
  }

  async update(id: string, change: (current: Image) => Image): Promise<Image> {
    const current = this.#images.get(id);
    if (current === undefined) throw notFound(`No image found with ID ${id}`);
    const next = change(current);
    this.#images.set(id, next);
    return next;
  }

  async delete(id: string): Promise<boolean> {
    for (const [key, member] of this.#members) if (member.image_id === id) this.#members.delete(key);
    return this.#images.delete(id);
  }

  async list(request: ImageListRequest): Promise<readonly Image[]> {
    const project = request.filter.visibleTo;
    const all = [...this.#images.values()]
      .filter((i) =>
        matchesFilter(i, request.filter, project ? this.#members.get(memberKey(i.id, project)) : undefined),
      )
      .sort(compareBy(request.sort ?? DEFAULT_SORT));
    let start = 0;
    if (request.marker !== null) {
      const at = all.findIndex((i) => i.id === request.marker);
      if (at < 0) throw notFound(`No image found with ID ${request.marker}`);
      start = at + 1;
    }
    return all.slice(start, start + request.limit);
  }

  async usage(owner: string): Promise<ImageUsage> {
    let images = 0;
    let bytes = 0;
    for (const image of this.#images.values()) {
      if (image.owner !== owner) continue;
      images++;
      bytes += image.size ?? 0;
    }
    return { images, bytes };
  }

  async addMember(member: ImageMember): Promise<void> {
    if (!this.#images.has(member.image_id)) throw notFound(`No image found with ID ${member.image_id}`);
    const key = memberKey(member.image_id, member.member_id);
    if (this.#members.has(key)) throw conflict(`Member ${member.member_id} already exists on image ${member.image_id}`);
    this.#members.set(key, member);
  }

  async getMember(imageId: string, memberId: string): Promise<ImageMember | null> {
    return this.#members.get(memberKey(imageId, memberId)) ?? null;
  }

  async listMembers(imageId: string): Promise<readonly ImageMember[]> {
    return [...this.#members.values()].filter((m) => m.image_id === imageId).sort((a, b) => byCreation(a, b));
  }

  async updateMember(
    imageId: string,
    memberId: string,
    change: (current: ImageMember) => ImageMember,
  ): Promise<ImageMember> {
    const key = memberKey(imageId, memberId);
    const current = this.#members.get(key);
    if (current === undefined) throw notFound(`${memberId} is not a member of image ${imageId}`);
    const next = change(current);
    this.#members.set(key, next);
    return next;
  }

  async deleteMember(imageId: string, memberId: string): Promise<boolean> {
    return this.#members.delete(memberKey(imageId, memberId));
  }
}
