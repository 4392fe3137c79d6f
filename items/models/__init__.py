"""What the newsletter reports: issues, their news items, and the enforcement in them.

One module per kind of record; everything public is importable from `items.models`.
"""

from core.bilingual import reader_wants_chinese
from items.models.enforcement import (
    ARTICLE_PATTERN,
    CNY_FIELDS,
    LOOSE_PUBLIC_ID_PATTERN,
    PUBLIC_ID_PATTERN,
    DecisionStatus,
    EnforcementAction,
    EnforcementActionManager,
    EnforcementActionQuerySet,
    LegalBasisArticle,
    PublicIdCounter,
    allocate_public_id,
    article_key,
    article_label,
    canonical_public_id,
    currency_validator,
    format_amount,
    plain_decimal,
)
from items.models.issues import Issue, IssueManager, IssueQuerySet, NewsItem, NewsItemQuerySet, Source
from items.models.organisations import ORGANISATION_GROUP_DEPTH, Organisation, OrganisationQuerySet
from items.models.vocabularies import (
    NamedTag,
    Section,
    Series,
    Topic,
    TopicQuerySet,
    Violation,
    ViolationQuerySet,
)

__all__ = [
    "ARTICLE_PATTERN",
    "CNY_FIELDS",
    "DecisionStatus",
    "LegalBasisArticle",
    "article_key",
    "article_label",
    "LOOSE_PUBLIC_ID_PATTERN",
    "ORGANISATION_GROUP_DEPTH",
    "PUBLIC_ID_PATTERN",
    "EnforcementAction",
    "EnforcementActionManager",
    "EnforcementActionQuerySet",
    "Issue",
    "IssueManager",
    "IssueQuerySet",
    "NamedTag",
    "NewsItem",
    "NewsItemQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "PublicIdCounter",
    "Section",
    "Series",
    "Source",
    "Topic",
    "TopicQuerySet",
    "Violation",
    "ViolationQuerySet",
    "allocate_public_id",
    "canonical_public_id",
    "currency_validator",
    "format_amount",
    "plain_decimal",
    "reader_wants_chinese",
]
