"""A stored version as one JSON document: facts, containers and the provision tree.

The tree is nested (``children``) so a reader can rebuild the law without
knowing how the store keeps it; every node carries its stable path, so
other tools can point back into treatywatch.
"""

from __future__ import annotations

import json
from typing import Any

from treatywatch.ingest.documents import VersionInfo
from treatywatch.ingest.model import ProvisionNode, Segmentation
from treatywatch.ingest.persist import container_records

FORMAT_VERSION = 1


def node_record(node: ProvisionNode, depth: int = 1) -> dict[str, Any]:
    return {
        "path": node.path,
        "unit": node.unit,
        "label": node.label,
        "heading": node.heading,
        "kind": node.kind,
        "depth": depth,
        "container": node.container,
        "text": node.text,
        "details": node.details,
        "children": [node_record(child, depth + 1) for child in node.children],
    }


def to_json_record(info: VersionInfo, segmentation: Segmentation) -> dict[str, Any]:
    return {
        "format": "treatywatch-provisions",
        "format_version": FORMAT_VERSION,
        **info.record(),
        "containers": container_records(segmentation),
        "provisions": [node_record(node) for node in segmentation.provisions],
    }


def to_json(info: VersionInfo, segmentation: Segmentation) -> str:
    return json.dumps(to_json_record(info, segmentation), ensure_ascii=False, indent=2) + "\n"
