#!/usr/bin/python3
"""Generate src/generated/{resource-classes,traits}.gen.ts from os-resource-classes and os-traits.

Run: /usr/bin/python3 packages/scheduler/scripts/gen-traits.py
(needs the Debian packages python3-os-traits and python3-os-resource-classes).
"""
import importlib.metadata
import json
import os

import os_resource_classes
import os_traits

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "generated")


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def header(source, ver):
    return (
        "// generated, do not edit.\n"
        f"// Source: {source} {ver}, by packages/scheduler/scripts/gen-traits.py.\n"
        "// Regenerate: /usr/bin/python3 packages/scheduler/scripts/gen-traits.py\n\n"
    )


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text)


def array(const, type_name, values, doc):
    body = "".join(f"  {json.dumps(v)},\n" for v in values)
    return (
        f"/** {doc} */\n"
        f"export const {const} = [\n{body}] as const;\n\n"
        f"/** One of {const}. */\n"
        f"export type {type_name} = (typeof {const})[number];\n"
    )


def main():
    rc_ver = version("os-resource-classes")
    classes = list(os_resource_classes.STANDARDS)
    write(
        "resource-classes.gen.ts",
        header("os-resource-classes", rc_ver)
        + f'/** Version of os-resource-classes this list was generated from. */\nexport const RESOURCE_CLASSES_SOURCE_VERSION = "{rc_ver}";\n\n'
        + array("STANDARD_RESOURCE_CLASSES", "StandardResourceClass", classes,
                "Standard resource classes, in os-resource-classes order (the order is their id)."),
    )
    tr_ver = version("os-traits")
    traits = sorted(os_traits.get_traits())
    write(
        "traits.gen.ts",
        header("os-traits", tr_ver)
        + f'/** Version of os-traits this list was generated from. */\nexport const TRAITS_SOURCE_VERSION = "{tr_ver}";\n\n'
        + array("STANDARD_TRAITS", "StandardTrait", traits, "Standard traits of os-traits, sorted."),
    )
    print(f"resource classes: {len(classes)} (os-resource-classes {rc_ver}); traits: {len(traits)} (os-traits {tr_ver})")


if __name__ == "__main__":
    main()
