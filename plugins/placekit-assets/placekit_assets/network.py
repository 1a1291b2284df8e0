"""Connection measures on the asset graph (EXERCISES.md A.5), pure and widget-free.

networkx gives tested betweenness centrality, components and a seeded layout; writing
Brandes' algorithm by hand would be a second, untested copy of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd


def graph(assets: Mapping[str, Mapping[str, Any]], links: Iterable[Mapping[str, Any]]) -> nx.Graph:
    """Assets as nodes (with name and category), links as undirected edges."""
    g = nx.Graph()
    for asset_id, data in assets.items():
        g.add_node(asset_id, name=data.get("name", ""), category=data.get("category", ""))
    for link in links:
        a, b = link.get("from_asset"), link.get("to_asset")
        if a in g and b in g and a != b:
            g.add_edge(a, b, status=link.get("status", "existing"))
    return g


@dataclass(frozen=True)
class Measures:
    per_asset: pd.DataFrame  # asset_id, name, category, degree, betweenness, isolated
    components: int  # groups of assets connected to each other (an isolated asset is one)
    isolated: list[str]  # asset ids with no connection
    cross_category_share: float | None  # share of links joining two categories
    links: int


def measures(g: nx.Graph) -> Measures:
    """Degree, betweenness (normalised 0–1), isolated assets, components, cross-links."""
    columns = ["asset_id", "name", "category", "degree", "betweenness", "isolated"]
    if not len(g):
        return Measures(pd.DataFrame(columns=columns), 0, [], None, 0)
    between = nx.betweenness_centrality(g, normalized=True)
    rows = [
        {
            "asset_id": n,
            "name": g.nodes[n]["name"],
            "category": g.nodes[n]["category"],
            "degree": g.degree(n),
            "betweenness": round(between[n], 3),
            "isolated": g.degree(n) == 0,
        }
        for n in g.nodes
    ]
    edges = list(g.edges)
    crossing = sum(g.nodes[a]["category"] != g.nodes[b]["category"] for a, b in edges)
    return Measures(
        pd.DataFrame(rows, columns=columns),
        nx.number_connected_components(g),
        [n for n in g.nodes if g.degree(n) == 0],
        crossing / len(edges) if edges else None,
        len(edges),
    )


def top_connectors(m: Measures, limit: int = 5) -> pd.DataFrame:
    """The most-connected assets: by connections, then by how much they bridge others."""
    linked = m.per_asset[m.per_asset["degree"] > 0]
    ordered = linked.sort_values(
        ["degree", "betweenness", "name"], ascending=[False, False, True], kind="stable"
    )
    return ordered.head(limit).reset_index(drop=True)


def layout(g: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions for drawing: the same map for the same data, every time."""
    if not len(g):
        return {}
    if len(g) == 1:
        return {next(iter(g.nodes)): (0.0, 0.0)}
    # Sorted nodes so the layout does not depend on the order records were saved in.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    positions = nx.spring_layout(ordered, seed=seed, k=1.5 / max(len(g), 1) ** 0.5)
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}
