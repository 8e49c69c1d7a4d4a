#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate a KCIDB I/O document against schema v5 (up to v5.3).

Written from the schema's documentation (kernelci/kcidb-io,
kcidb_io/schema/v05_00.py .. v05_03.py): for each object type the
properties it may have (additionalProperties is false everywhere), the ones
it must have, their JSON types, the patterns of IDs, origins and test paths,
the status enum, and "no property can be null". On top, what the schema
leaves to "only complete data is valid": IDs unique per type, and every
*_id naming an object of the document.

    validate.py FILE...     exit 0 when every FILE is valid, else 1
    validate.py --self-test  a valid sample, and mutations of it that must
                             each be rejected
"""
import copy
import json
import re
import sys

ORIGIN = r"[a-z0-9_]+"
ORIGIN_RE = re.compile(f"^{ORIGIN}$")
ID_RE = re.compile(f"^{ORIGIN}:.*$")
PATH_RE = re.compile(r"^([a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*)?$")
SHA1_RE = re.compile(r"^[0-9a-f]{40}$")
SHA256_RE = re.compile(r"^$|^[0-9a-f]{64}$")
ARCH_RE = re.compile(r"^[a-z0-9_]*$")
STATUSES = {"FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"}
EXCERPT_MAX = 16384

STR, BOOL, INT, NUM, OBJ, ARR = "string", "boolean", "integer", "number", "object", "array"
RESOURCES = ("resources", None)

# type, pattern (or special check)
CHECKOUT = {
    "_timestamp": (STR, None), "id": (STR, ID_RE), "origin": (STR, ORIGIN_RE),
    "tree_name": (STR, None), "git_repository_url": (STR, None),
    "git_commit_hash": (STR, SHA1_RE), "git_commit_name": (STR, None),
    "git_commit_tags": (ARR, "strings"), "git_commit_message": (STR, None),
    "git_repository_branch": (STR, None), "git_repository_branch_tip": (BOOL, None),
    "patchset_files": (ARR, "resources"), "patchset_hash": (STR, SHA256_RE),
    "message_id": (STR, None), "comment": (STR, None), "start_time": (STR, "time"),
    "origin_builds_finish_time": (STR, "time"), "origin_tests_finish_time": (STR, "time"),
    "log_url": (STR, None), "log_excerpt": (STR, "excerpt"), "valid": (BOOL, None),
    "misc": (OBJ, None),
}
BUILD = {
    "_timestamp": (STR, None), "checkout_id": (STR, ID_RE), "id": (STR, ID_RE),
    "origin": (STR, ORIGIN_RE), "comment": (STR, None), "start_time": (STR, "time"),
    "duration": (NUM, None), "architecture": (STR, ARCH_RE), "command": (STR, None),
    "compiler": (STR, None), "input_files": (ARR, "resources"),
    "output_files": (ARR, "resources"), "config_name": (STR, None),
    "config_url": (STR, None), "log_url": (STR, None), "log_excerpt": (STR, "excerpt"),
    "status": (STR, "status"), "misc": (OBJ, None),
}
TEST = {
    "_timestamp": (STR, None), "build_id": (STR, ID_RE), "id": (STR, ID_RE),
    "origin": (STR, ORIGIN_RE), "environment": (OBJ, "environment"),
    "path": (STR, PATH_RE), "comment": (STR, None), "log_url": (STR, None),
    "log_excerpt": (STR, "excerpt"), "status": (STR, "status"), "number": (OBJ, "number"),
    "start_time": (STR, "time"), "duration": (NUM, None),
    "input_files": (ARR, "resources"), "output_files": (ARR, "resources"),
    "misc": (OBJ, None),
}
ISSUE = {
    "_timestamp": (STR, None), "id": (STR, ID_RE), "version": (INT, "nonneg"),
    "origin": (STR, ORIGIN_RE), "categories": (ARR, "paths"), "report_url": (STR, None),
    "report_subject": (STR, None), "culprit": (OBJ, "culprit"), "comment": (STR, None),
    "misc": (OBJ, None),
}
INCIDENT = {
    "_timestamp": (STR, None), "id": (STR, ID_RE), "origin": (STR, ORIGIN_RE),
    "issue_id": (STR, ID_RE), "issue_version": (INT, "nonneg"), "build_id": (STR, ID_RE),
    "test_id": (STR, ID_RE), "present": (BOOL, None), "comment": (STR, None),
    "misc": (OBJ, None),
}
TYPES = {
    "checkouts": (CHECKOUT, ("id", "origin")),
    "builds": (BUILD, ("checkout_id", "id", "origin")),
    "tests": (TEST, ("build_id", "id", "origin")),
    "issues": (ISSUE, ("id", "version", "origin")),
    "incidents": (INCIDENT, ("id", "origin", "issue_id", "issue_version")),
}
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def json_type_ok(value, want):
    if want == STR:
        return isinstance(value, str)
    if want == BOOL:
        return isinstance(value, bool)
    if want == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if want == NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if want == OBJ:
        return isinstance(value, dict)
    return isinstance(value, list)


def check_value(where, value, want, check, errors):
    if value is None:
        errors.append(f"{where}: null (no property can be null)")
        return
    if not json_type_ok(value, want):
        errors.append(f"{where}: {type(value).__name__}, want {want}")
        return
    if check is None:
        pass
    elif hasattr(check, "match"):
        if not check.match(value):
            errors.append(f"{where}: {value!r} does not match {check.pattern}")
    elif check == "status":
        if value not in STATUSES:
            errors.append(f"{where}: {value!r} is not one of {sorted(STATUSES)}")
    elif check == "excerpt":
        if len(value) > EXCERPT_MAX:
            errors.append(f"{where}: {len(value)} characters, at most {EXCERPT_MAX}")
    elif check == "time":
        if not TIME_RE.match(value):
            errors.append(f"{where}: {value!r} is not an RFC 3339 date-time")
    elif check == "nonneg":
        if value < 0:
            errors.append(f"{where}: {value} < 0")
    elif check == "strings":
        for i, v in enumerate(value):
            check_value(f"{where}[{i}]", v, STR, None, errors)
    elif check == "paths":
        for i, v in enumerate(value):
            check_value(f"{where}[{i}]", v, STR, PATH_RE, errors)
    elif check == "resources":
        for i, r in enumerate(value):
            if not isinstance(r, dict):
                errors.append(f"{where}[{i}]: not an object")
                continue
            check_object(f"{where}[{i}]", r, {"name": (STR, re.compile(r"^[^/\0]+$")),
                                              "url": (STR, None)}, ("name", "url"), errors)
    elif check == "culprit":
        check_object(where, value, {k: (BOOL, None) for k in ("code", "tool", "harness")},
                     (), errors)
    elif check == "number":
        check_object(where, value, {"value": (NUM, None), "unit": (STR, None),
                                    "prefix": (STR, re.compile("^(metric|binary)$"))},
                     ("value",), errors)
    elif check == "environment":
        check_object(where, value, {"compatible": (ARR, "strings"), "comment": (STR, None),
                                    "misc": (OBJ, None)}, (), errors)


def check_object(where, obj, props, required, errors):
    for key in required:
        if key not in obj:
            errors.append(f"{where}: no {key!r} (required)")
    for key, value in obj.items():
        if key not in props:
            errors.append(f"{where}: unknown property {key!r}")
            continue
        want, check = props[key]
        check_value(f"{where}.{key}", value, want, check, errors)


def validate(doc):
    errors = []
    if not isinstance(doc, dict):
        return ["the document is not an object"]
    if "version" not in doc:
        errors.append("no 'version' (required)")
    for key in doc:
        if key != "version" and key not in TYPES:
            errors.append(f"unknown top-level property {key!r}")
    version = doc.get("version")
    if isinstance(version, dict):
        check_object("version", version, {"major": (INT, None), "minor": (INT, "nonneg")},
                     ("major",), errors)
        if version.get("major") != 5:
            errors.append(f"version.major {version.get('major')!r}, want 5")
        if isinstance(version.get("minor"), int) and version["minor"] > 3:
            errors.append(f"version.minor {version['minor']} is newer than 5.3")
    elif version is not None:
        errors.append("version: not an object")
    ids = {}
    for kind, (props, required) in TYPES.items():
        objs = doc.get(kind, [])
        if not isinstance(objs, list):
            errors.append(f"{kind}: not an array")
            continue
        ids[kind] = set()
        for i, obj in enumerate(objs):
            where = f"{kind}[{i}]"
            if not isinstance(obj, dict):
                errors.append(f"{where}: not an object")
                continue
            check_object(where, obj, props, required, errors)
            oid = obj.get("id")
            if oid in ids[kind]:
                errors.append(f"{where}: id {oid!r} used twice")
            ids[kind].add(oid)
            origin = obj.get("origin")
            if isinstance(oid, str) and isinstance(origin, str) and \
                    not oid.startswith(origin + ":"):
                errors.append(f"{where}: id {oid!r} does not start with its origin {origin!r}")
    links = (("builds", "checkout_id", "checkouts"), ("tests", "build_id", "builds"),
             ("incidents", "issue_id", "issues"), ("incidents", "build_id", "builds"),
             ("incidents", "test_id", "tests"))
    for kind, field, target in links:
        for i, obj in enumerate(doc.get(kind, []) if isinstance(doc.get(kind), list) else []):
            if isinstance(obj, dict) and field in obj and obj[field] not in ids.get(target, ()):
                errors.append(f"{kind}[{i}].{field}: {obj[field]!r} names no object of {target}")
    for i, inc in enumerate(doc.get("incidents", []) if isinstance(doc.get("incidents"), list)
                            else []):
        if isinstance(inc, dict) and "build_id" not in inc and "test_id" not in inc:
            errors.append(f"incidents[{i}]: names neither a build nor a test")
    return errors


def self_test():
    good = {
        "version": {"major": 5, "minor": 3},
        "checkouts": [{"id": "mmrepro:r:lane", "origin": "mmrepro", "valid": True}],
        "builds": [{"id": "mmrepro:r:lane", "checkout_id": "mmrepro:r:lane",
                    "origin": "mmrepro", "architecture": "x86_64", "status": "PASS"}],
        "tests": [{"id": "mmrepro:r:lane:fork-pin", "build_id": "mmrepro:r:lane",
                   "origin": "mmrepro", "path": "mmrepro.fork-pin.control", "status": "FAIL",
                   "misc": {"verdict": "bug"}}],
        "issues": [{"id": "mmrepro:thread-001", "version": 1, "origin": "mmrepro",
                    "culprit": {"code": True}}],
        "incidents": [{"id": "mmrepro:r:lane:fork-pin:incident", "origin": "mmrepro",
                       "issue_id": "mmrepro:thread-001", "issue_version": 1,
                       "test_id": "mmrepro:r:lane:fork-pin", "present": True}],
    }
    bad = [
        ("no version", lambda d: d.pop("version")),
        ("major 4", lambda d: d["version"].update(major=4)),
        ("unknown top level", lambda d: d.update(extra=[])),
        ("status lower case", lambda d: d["tests"][0].update(status="pass")),
        ("path with a space", lambda d: d["tests"][0].update(path="mmrepro.fork pin")),
        ("path with an empty part", lambda d: d["tests"][0].update(path="mmrepro..x")),
        ("origin with a capital", lambda d: d["builds"][0].update(origin="MMrepro")),
        ("id without origin", lambda d: d["builds"][0].update(id="lane")),
        ("null property", lambda d: d["tests"][0].update(comment=None)),
        ("unknown property", lambda d: d["tests"][0].update(verdict="bug")),
        ("missing required", lambda d: d["tests"][0].pop("build_id")),
        ("wrong type", lambda d: d["checkouts"][0].update(valid="yes")),
        ("negative version", lambda d: d["issues"][0].update(version=-1)),
        ("dangling build", lambda d: d["tests"][0].update(build_id="mmrepro:r:none")),
        ("dangling issue", lambda d: d["incidents"][0].update(issue_id="mmrepro:thread-9")),
        ("duplicate id", lambda d: d["tests"].append(copy.deepcopy(d["tests"][0]))),
        ("long excerpt", lambda d: d["tests"][0].update(log_excerpt="x" * 16385)),
        ("bad architecture", lambda d: d["builds"][0].update(architecture="x86-64")),
        ("culprit not bool", lambda d: d["issues"][0].update(culprit={"code": 1})),
    ]
    failed = 0
    errors = validate(good)
    if errors:
        print(f"self-test: the valid sample is rejected: {errors}")
        failed += 1
    for what, mutate in bad:
        doc = copy.deepcopy(good)
        mutate(doc)
        if not validate(doc):
            print(f"self-test: not rejected: {what}")
            failed += 1
    print(f"kcidb validate self-test: {len(bad) + 1 - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 64
    rc = 0
    for path in argv:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read it as JSON: {e}")
            rc = 1
            continue
        errors = validate(doc)
        counts = ", ".join(f"{len(doc.get(k, []))} {k}" for k in TYPES
                           if isinstance(doc, dict) and isinstance(doc.get(k), list))
        if errors:
            print(f"{path}: NOT valid KCIDB v5 ({len(errors)} problems); first ones:")
            for e in errors[:10]:
                print(f"  {e}")
            rc = 1
        else:
            print(f"{path}: valid KCIDB v5 ({counts})")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
