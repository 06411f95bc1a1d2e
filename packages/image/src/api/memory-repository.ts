/**
 * An ImageRepository in a Map: for tests and the embedded server.
 */
import { conflict, notFound } from "@stratus/core/errors";
import type { Image } from "./model.js";
import type { ImageFilter, ImageListRequest, ImageRepository } from "./repository.js";
import { compareBy, DEFAULT_SORT } from "./sort.js";

const matches = (image: Image, f: ImageFilter): boolean =>
  (f.name === undefined || image.name === f.name) &&
  (f.status === undefined || image.status === f.status) &&
  (f.visibility === undefined || image.visibility === f.visibility) &&
  (f.osHidden === undefined || image.os_hidden === f.osHidden) &&
  (f.visibleTo === undefined ||
    image.visibility === "public" ||
    (image.visibility === "community" && f.visibility === "community") ||
    image.owner === f.visibleTo);

export class MemoryImageRepository implements ImageRepository {
  readonly #images = new Map<string, Image>();

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
    return this.#images.delete(id);
  }

  async list(request: ImageListRequest): Promise<readonly Image[]> {
    const all = [...this.#images.values()]
      .filter((i) => matches(i, request.filter))
      .sort(compareBy(request.sort ?? DEFAULT_SORT));
    let start = 0;
    if (request.marker !== null) {
      const at = all.findIndex((i) => i.id === request.marker);
      if (at < 0) throw notFound(`No image found with ID ${request.marker}`);
      start = at + 1;
    }
    return all.slice(start, start + request.limit);
  }
}
