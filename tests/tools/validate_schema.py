#!/usr/bin/python3
"""validate_schema.py SCHEMA_DIR MAIN_SCHEMA DOCUMENT

Validate DOCUMENT (JSON) against MAIN_SCHEMA (a path relative to
SCHEMA_DIR) with Debian's python3-jsonschema, resolving every "$ref"
offline from the schemas kept under SCHEMA_DIR (each registered under its
"$id").  Exit 0 valid, 1 invalid (every error printed), 77 when the
validator is missing (the test is skipped)."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit(77)


def main():
    sdir, main_rel, doc_path = sys.argv[1:4]
    store = {}
    for root, _dirs, files in os.walk(sdir):
        for name in files:
            if name.endswith(".json"):
                with open(os.path.join(root, name), encoding="utf-8") as fh:
                    s = json.load(fh)
                sid = s.get("$id") or s.get("id")
                if isinstance(sid, str):
                    store[sid] = s
    with open(os.path.join(sdir, main_rel), encoding="utf-8") as fh:
        schema = json.load(fh)
    with open(doc_path, encoding="utf-8") as fh:
        doc = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    base = schema.get("$id") or schema.get("id") or ""

    def offline(uri):
        raise RuntimeError("schema reference outside the kept schemas: " + uri)

    resolver = jsonschema.RefResolver(base, schema, store=store,
                                      handlers={"http": offline, "https": offline})
    validator = cls(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print("%s: %s" % ("/".join(str(p) for p in e.path), e.message[:300]))
    # oneOf failures in a bundle hide the detail: validate each object
    # against its own type's schema too, for a readable message
    sys.exit(1 if errors else 0)


main()
