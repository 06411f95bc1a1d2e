/**
 * `/resource_classes[/{name}]` (1.2+): list standard and custom classes, create a custom one,
 * show, rename (1.2-1.6) or create-if-missing (1.7+), delete a custom one.
 */
import { notFound } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { STANDARD_RESOURCE_CLASSES } from "../generated/resource-classes.gen.js";
import { placementConflict } from "../placement/errors.js";
import { mv, type PlacementRouteContext } from "./context.js";
import { ResourceClassBody } from "./rp-schemas.js";
import { cacheHeaders, empty, parseBody } from "./rp-wire.js";

const NameParam = z.object({ name: z.string() });
const since12 = { microversion: { min: "1.2" } };

const classBody = (name: string) => ({ name, links: [{ rel: "self", href: `/resource_classes/${name}` }] });

export function registerResourceClassRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const { store } = ctx;

  app.get("/resource_classes", { config: since12 }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_classes:list");
    cacheHeaders(request, reply);
    const names = [...STANDARD_RESOURCE_CLASSES, ...store.state.customResourceClasses()];
    return { resource_classes: names.map(classBody) };
  });

  app.post("/resource_classes", { config: since12 }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_classes:create");
    const { name } = parseBody(ResourceClassBody, request.body);
    await store.write(
      (s) => {
        if (s.hasResourceClass(name)) throw placementConflict(`Conflicting resource class already exists: ${name}`);
        s.createResourceClass(name);
      },
      { resourceClasses: [name] },
    );
    reply.header("location", `/resource_classes/${name}`);
    return empty(reply, 201);
  });

  app.get("/resource_classes/:name", { config: since12, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_classes:show");
    const { name } = request.params;
    if (!store.state.hasResourceClass(name)) throw notFound(`No such resource class ${name}.`);
    cacheHeaders(request, reply);
    return classBody(name);
  });

  app.put("/resource_classes/:name", { config: since12, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_classes:update");
    const { name } = request.params;
    if (!mv(request, "1.7")) {
      const { name: to } = parseBody(ResourceClassBody, request.body);
      await store.write((s) => s.renameResourceClass(name, to), { resourceClasses: [name, to] });
      return classBody(to);
    }
    parseBody(ResourceClassBody, { name });
    const created = await store.write(
      (s) => {
        if (s.hasResourceClass(name)) return false;
        s.createResourceClass(name);
        return true;
      },
      { resourceClasses: [name] },
    );
    reply.header("location", `/resource_classes/${name}`);
    return empty(reply, created ? 201 : 204);
  });

  app.delete("/resource_classes/:name", { config: since12, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_classes:delete");
    const { name } = request.params;
    await store.write((s) => s.deleteResourceClass(name), { resourceClasses: [name] });
    return empty(reply, 204);
  });
}
