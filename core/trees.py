"""Records that answer to a record of their own kind (a provincial office to its national body,
an app's operator to its group), read as one tree.

The whole tree is one query for every (id, parent id) pair, kept under the content version: a
page walks it in Python as often as it likes. An editor can make a cycle (A under B, B under A);
every walk here stops where it has been before, so a cycle never loops, and each record of a
cycle counts as under the others.
"""

from collections import defaultdict

from core.content_cache import cached


class ParentTree:
    """Who answers to whom: {id: parent id} for every record of a model with a parent field."""

    def __init__(self, parents):
        self.parents = dict(parents)
        self.children = defaultdict(list)
        for pk, parent_id in self.parents.items():
            if parent_id is not None:
                self.children[parent_id].append(pk)

    @classmethod
    def of(cls, model, parent_field="parent"):
        """The tree of every `model` record, read once for this content version."""
        attname = model._meta.get_field(parent_field).attname
        pairs = cached(
            "parent-tree",
            (model._meta.label, attname),
            lambda: list(model._default_manager.order_by().values_list("pk", attname)),
        )
        return cls(pairs)

    def ancestors(self, pk):
        """The ids above `pk`, nearest first (a cycle an editor made stops the walk)."""
        found = []
        parent_id = self.parents.get(pk)
        while parent_id is not None and parent_id not in found and parent_id != pk:
            found.append(parent_id)
            parent_id = self.parents.get(parent_id)
        return found

    def subtree(self, pk):
        """`pk` and the ids of every record under it, at any depth, `pk` first."""
        return self.subtrees([pk])

    def subtrees(self, pks):
        """`pks` and the ids of every record under any of them, at any depth, without repeats."""
        found = list(dict.fromkeys(pks))
        seen, pending = set(found), list(found)
        while pending:
            for child in self.children.get(pending.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    found.append(child)
                    pending.append(child)
        return found

    def has_children(self, pk):
        return bool(self.children.get(pk))
