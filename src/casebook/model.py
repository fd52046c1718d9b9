"""The typed corpus that everything after validation works on.

Cross-references are declared once in the records (a risk lists its provisions, a mitigation the risks
it mitigates, an assessment its risk); the reverse lists are filled in by :mod:`casebook.build`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path

from .errors import Location


class RecordStatus(StrEnum):
    """Status of a catalogue record (common.schema.json#/$defs/status)."""

    ACTIVE = "active"
    DRAFT = "draft"
    RETIRED = "retired"


class CaseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Provenance(StrEnum):
    """Where a case study's figures come from: ``sample`` ones are illustrative, never measured."""

    SAMPLE = "sample"
    PILOT = "pilot"
    PRODUCTION = "production"


class MitigationKind(StrEnum):
    PREVENTIVE = "preventive"
    DETECTIVE = "detective"
    CORRECTIVE = "corrective"


class MitigationType(StrEnum):
    TECHNICAL = "technical"
    ORGANISATIONAL = "organisational"
    CONTRACTUAL = "contractual"


class ApplicationStatus(StrEnum):
    """How far a mitigation is in place in one assessment."""

    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    PLANNED = "planned"


class InstrumentKind(StrEnum):
    LAW = "law"
    CABINET_ORDER = "cabinet-order"
    MINISTERIAL_ORDINANCE = "ministerial-ordinance"
    SUPERVISORY_GUIDELINE = "supervisory-guideline"
    GOVERNMENT_GUIDELINE = "government-guideline"
    INDUSTRY_GUIDELINE = "industry-guideline"
    INTERNATIONAL = "international"


def _linked(cls):
    """Print a cross-linked record as ``Risk('R-HALLUCINATION')``, not as the dataclass default.

    The default repr follows every link (risk → assessment → case → its assessments → …) and revisits the
    same records along every path: gigabytes for a single risk of the shipped corpus. A failing test that
    shows a record in its report (pytest prints fixture values and locals) would stall CI instead of failing.
    """

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        if ident is not None:
            return f"{type(self).__name__}({ident!r})"
        keys = (getattr(getattr(self, name, None), "id", None) for name in ("case", "risk", "mitigation", "metric"))
        return f"{type(self).__name__}({', '.join(repr(k) for k in keys if k is not None)})"

    cls.__repr__ = __repr__
    return cls


@dataclass(frozen=True)
class Text:
    """Japanese text with optional English; prose fields take a small Markdown subset."""

    ja: str
    en: str | None = None

    def __str__(self) -> str:
        return self.ja


class Origin:
    """Where a record came from: its file and the place of the record inside it.

    Line and column are looked up only when asked for (an error message): finding them means walking,
    or after parallel validation re-reading, the file's parse tree.
    """

    __slots__ = ("_doc", "_pointer", "path")

    def __init__(self, path: Path, doc: object = None, pointer: tuple = ()) -> None:
        self.path = path
        self._doc = doc  # a casebook.load.Document, or None when only the file is known
        self._pointer = pointer

    @property
    def document(self) -> object:
        """The loaded document (a :class:`casebook.load.Document`), to report a diagnostic on the record."""
        return self._doc

    @property
    def pointer(self) -> tuple:
        return self._pointer

    @property
    def location(self) -> Location:
        if self._doc is None:
            return Location(self.path, 1, 1)
        return self._doc.location(self._pointer)

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def __repr__(self) -> str:
        return f"Origin({self.path!s}, {self._pointer!r})"


@dataclass
class Mappings:
    """A record's mappings to external frameworks: key (one framework edition) → that edition's item ids."""

    owasp_llm_2025: list[str] = field(default_factory=list)
    owasp_llm_2026: list[str] = field(default_factory=list)
    nist_ai_600_1: list[str] = field(default_factory=list)
    finos_aigf: list[str] = field(default_factory=list)
    mitre_atlas: list[str] = field(default_factory=list)
    aisi_perspectives: list[int] = field(default_factory=list)
    mas_mindforge: list[str] = field(default_factory=list)
    ai_business_guideline_1_2: list[str] = field(default_factory=list)
    hiroshima_principles: list[str] = field(default_factory=list)

    def items(self) -> list[tuple[str, list[str]]]:
        """(mapping key, item ids as strings) for every key with values, in field order."""
        return [(f.name, [str(v) for v in getattr(self, f.name)]) for f in fields(self) if getattr(self, f.name)]


@_linked
@dataclass(eq=False)
class Instrument:
    id: str
    name: Text
    kind: InstrumentKind
    verified: bool
    origin: Origin
    short_name: Text | None = None
    law_number: str | None = None
    egov_id: str | None = None
    publisher: Text | None = None
    issued: str | None = None
    url: str | None = None
    summary: Text | None = None
    verification_note: Text | None = None
    status: RecordStatus = RecordStatus.ACTIVE
    replaced_by: str | None = None
    provisions: list[Provision] = field(default_factory=list)

    @property
    def label(self) -> str:
        return (self.short_name or self.name).ja


@_linked
@dataclass(eq=False)
class Provision:
    id: str
    instrument: Instrument
    article: str
    title: Text
    relevance: Text
    verified: bool
    origin: Origin
    url: str | None = None
    summary: Text | None = None
    verification_note: Text | None = None
    status: RecordStatus = RecordStatus.ACTIVE
    replaced_by: str | None = None
    editorial_title: bool = False  # the caption is ours, not the statute's (shown as such)
    risks: list[Risk] = field(default_factory=list)
    mitigations: list[Mitigation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    declarations: list[CaseStudy] = field(default_factory=list)  # cases citing it for special data

    @property
    def citation(self) -> str:
        """e.g. 個人情報保護法 第23条."""
        return f"{self.instrument.label} {self.article}"

    @property
    def cases(self) -> list[CaseStudy]:
        return _unique([*(a.case for a in self.assessments), *self.declarations])


@_linked
@dataclass(eq=False)
class Risk:
    id: str
    name: Text
    category: str
    description: Text
    provisions: list[Provision]
    mappings: Mappings
    origin: Origin
    programme_named: bool = False
    examples: list[Text] = field(default_factory=list)
    status: RecordStatus = RecordStatus.ACTIVE
    replaced_by: str | None = None
    mitigations: list[Mitigation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    @property
    def cases(self) -> list[CaseStudy]:
        return _unique(a.case for a in self.assessments)


@_linked
@dataclass(eq=False)
class CheckItem:
    """One check item of a mitigation's checklist, with a stable id kept across editions (M-PII-MASKING-1).

    A bank's self-assessment records point at items by id, so an id is never reused; an item that is no
    longer asked for stays in the catalogue as ``retired``.
    """

    id: str
    text: Text
    status: RecordStatus = RecordStatus.ACTIVE
    mitigation: Mitigation | None = None

    @property
    def ja(self) -> str:
        return self.text.ja

    @property
    def en(self) -> str | None:
        return self.text.en

    @property
    def risks(self) -> list[Risk]:
        """The risks the item serves: those of its mitigation."""
        return self.mitigation.risks if self.mitigation else []

    def __str__(self) -> str:
        return self.text.ja


@_linked
@dataclass(eq=False)
class Mitigation:
    id: str
    name: Text
    kind: MitigationKind
    type: MitigationType
    risks: list[Risk]
    description: Text
    checklist: list[CheckItem]
    evidence: list[Text]
    origin: Origin
    provisions: list[Provision] = field(default_factory=list)
    mappings: Mappings = field(default_factory=Mappings)
    status: RecordStatus = RecordStatus.ACTIVE
    replaced_by: str | None = None
    retired_items: list[CheckItem] = field(default_factory=list)
    applications: list[AppliedMitigation] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    @property
    def cases(self) -> list[CaseStudy]:
        return _unique(a.assessment.case for a in self.applications)


@_linked
@dataclass(eq=False)
class Metric:
    id: str
    name: Text
    definition: Text
    unit: str
    better: str
    origin: Origin
    method: Text | None = None
    sources: list[Text] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    status: RecordStatus = RecordStatus.ACTIVE
    replaced_by: str | None = None

    @property
    def is_proportion(self) -> bool:
        return self.unit == "proportion"


@dataclass(frozen=True)
class Band:
    id: str
    label: Text
    min: int
    max: int
    colour: str
    action: Text | None = None


@dataclass(frozen=True)
class Step:
    level: int
    label: Text
    description: Text | None = None
    max_rate: float | None = None  # likelihood only: highest upper confidence bound of a measured rate
    max_events_per_year: float | None = None  # likelihood only: highest expected events a year at volume


@dataclass(frozen=True)
class EvidenceRule:
    """A metric whose measured value gives the rate at which a risk occurs (scoring catalogue)."""

    metric: str
    counts: str  # "occurrences" (value = rate) or "non-occurrences" (rate = 1 − value)
    exposure: str  # "interactions" (scaled by the case's volume) or "attempts" (rate only)


@dataclass
class Scoring:
    likelihood: list[Step]
    impact: list[Step]
    bands: list[Band]
    method: Text | None = None
    evidence: dict[str, EvidenceRule] = field(default_factory=dict)

    def band(self, value: int) -> Band:
        for band in self.bands:
            if band.min <= value <= band.max:
                return band
        raise ValueError(f"score {value} is in no band")  # validation guarantees full coverage


@dataclass(frozen=True)
class Score:
    likelihood: int
    impact: int
    band: Band

    @property
    def value(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class Level:
    level: int
    label: Text
    wording: str
    description: Text | None = None


@dataclass
class Scale:
    id: str
    name: Text
    description: Text
    official_wording: bool
    levels: list[Level]
    source: Text | None = None

    def level(self, n: int) -> Level:
        return self.levels[n - 1]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(rate: float, n: int, z: float = 1.959963984540054) -> Interval:
    """95% Wilson score interval of a proportion ``rate`` observed on ``n`` trials."""
    if n <= 0:
        return Interval(0.0, 1.0)
    p = min(max(rate, 0.0), 1.0)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Rounding leaves 5e-17 for 0 and 0.9999… for 1 at the extremes; the interval always contains p.
    return Interval(min(max(0.0, centre - half), p), max(min(1.0, centre + half), p))


@_linked
@dataclass(eq=False)
class Evaluation:
    metric: Metric
    method: Text
    n: int
    before: float
    after: float
    illustrative: bool
    n_before: int | None = None
    attempt_share: float | None = None  # assumed share of the case's volume that are attempts (P4-2)

    @property
    def before_interval(self) -> Interval | None:
        return wilson(self.before, self.n_before or self.n) if self.metric.is_proportion else None

    @property
    def after_interval(self) -> Interval | None:
        return wilson(self.after, self.n) if self.metric.is_proportion else None

    @property
    def improved(self) -> bool:
        return self.after < self.before if self.metric.better == "lower" else self.after > self.before


@_linked
@dataclass(eq=False)
class AppliedMitigation:
    mitigation: Mitigation
    status: ApplicationStatus
    assessment: Assessment
    note: Text | None = None


@_linked
@dataclass(eq=False)
class Assessment:
    case: CaseStudy
    risk: Risk
    inherent: Score
    residual: Score
    findings: Text
    origin: Origin
    provisions: list[Provision] = field(default_factory=list)
    mitigations: list[AppliedMitigation] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    context: Text | None = None
    residual_rationale: Text | None = None


@dataclass(frozen=True)
class ReadinessEntry:
    scale: Scale
    level: int
    basis: Text

    @property
    def label(self) -> Text:
        return self.scale.level(self.level).label


@dataclass(frozen=True)
class Improvement:
    title: Text
    description: Text
    risks: tuple[Risk, ...] = ()
    date: str | None = None


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, inside the case folder
    relative: str
    alt: Text
    caption: Text | None = None


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str


@dataclass(frozen=True)
class System:
    patterns: tuple[str, ...]
    model_hosting: str
    data_sources: tuple[Text, ...]
    hitl_mode: str
    hitl_description: Text
    description: Text
    models: tuple[Text, ...] = ()


_PERIODS_PER_YEAR = {"day": 365, "week": 52, "month": 12, "year": 1}


@dataclass(frozen=True)
class Volume:
    """Interactions on the case's channels per period (actual, or expected before launch)."""

    interactions: int
    per: str
    basis: Text
    illustrative: bool

    @property
    def per_year(self) -> int:
        return self.interactions * _PERIODS_PER_YEAR[self.per]


@dataclass(frozen=True)
class SpecialData:
    """A declared category of 要配慮個人情報, 機微情報 or 個人番号 and its legal basis."""

    category: str
    items: Text
    handling: Text
    basis: str
    provisions: tuple[Provision, ...] = ()
    consent_form: str | None = None
    consent_description: Text | None = None
    exception: Text | None = None


@dataclass(frozen=True)
class SpecialDataRule:
    category: str
    consent_forms: tuple[str, ...]
    basis_note: Text


@dataclass(frozen=True)
class LegalChecks:
    """Data of the case studies' legal checks (content/catalog/legal-checks.yaml)."""

    statute_kinds: tuple[str, ...]
    special_data: dict[str, SpecialDataRule]


@dataclass(frozen=True)
class Institution:
    type: str
    region: str
    name: Text | None = None
    size: str | None = None


@_linked
@dataclass(eq=False)
class CaseStudy:
    id: str
    title: Text
    provenance: Provenance
    status: CaseStatus
    summary: Text
    institution: Institution
    use_level: int
    channels: list[str]
    service: Text
    system: System
    readiness: dict[str, ReadinessEntry]
    period_start: str
    updated: str
    origin: Origin
    folder: Path
    period_end: str | None = None
    assessments: list[Assessment] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    lessons: list[Text] = field(default_factory=list)
    contributors: list[Contributor] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    replaced_by: str | None = None
    volume: Volume | None = None
    special_data: list[SpecialData] = field(default_factory=list)

    @property
    def is_sample(self) -> bool:
        return self.provenance == "sample"

    @property
    def highest_residual(self) -> Assessment | None:
        return max(self.assessments, key=lambda a: (a.residual.value, a.inherent.value), default=None)

    def assessment_for(self, risk: Risk) -> Assessment | None:
        return next((a for a in self.assessments if a.risk is risk), None)


@_linked
@dataclass(eq=False)
class Clause:
    id: str
    title: Text
    text: Text
    chapter: Chapter
    cites: list[Risk | Mitigation | Provision] = field(default_factory=list)
    order: int = 0  # grows through the policy: lists of clauses gathered from several records sort by it


@_linked
@dataclass(eq=False)
class Chapter:
    id: str
    title: Text
    intro: Text | None = None
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Policy:
    title: Text
    chapters: list[Chapter]
    preamble: Text | None = None

    @property
    def clauses(self) -> list[Clause]:
        return [c for ch in self.chapters for c in ch.clauses]


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: Text
    definition: Text
    reading: str | None = None
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionEntry:
    edition: str
    date: str
    summary: Text
    ref: str | None = None


@dataclass
class ReportLayout:
    """The PDF report's chapters and appendices in order: generated parts by name, the editor's chapters
    by the name of their Markdown file under ``content/report/``."""

    chapters: tuple[str, ...] = ("summary", "methodology", "cases", "analysis", "policy")
    appendices: tuple[str, ...] = ("unverified", "provisions", "checklist", "glossary", "crosswalk", "editions",
                                   "comparison")
    dates: str = "iso"  # "iso" (2026-11-30) or "wareki" (令和8年（2026年）11月30日)


@dataclass
class Publication:
    title: Text
    publisher: Text
    edition: str
    date: str
    licence_name: Text
    editions: list[EditionEntry]
    subtitle: Text | None = None
    status_note: Text | None = None
    licence_url: str | None = None
    licence_note: Text | None = None
    keywords: list[str] = field(default_factory=list)
    contact: Text | None = None
    report: ReportLayout = field(default_factory=lambda: ReportLayout())


@_linked
@dataclass(eq=False)
class FrameworkItem:
    """One item of an external framework, with the records that cover it (computed from their mappings)."""

    id: str
    title: Text
    framework: Framework = field(repr=False)
    out_of_scope: Text | None = None
    risks: list[Risk] = field(default_factory=list)
    mitigations: list[Mitigation] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        """Policy clauses that cite a covering risk or mitigation, in the policy's order."""
        return sorted(_unique(cl for rec in (*self.risks, *self.mitigations) for cl in rec.clauses),
                      key=lambda cl: cl.order)

    @property
    def covered(self) -> bool:
        return bool(self.risks or self.mitigations)


@_linked
@dataclass(eq=False)
class Framework:
    """One edition of an external framework (OWASP LLM 2025, NIST AI 600-1 …) and its item ids."""

    id: str
    family: str
    name: Text
    edition: str
    source: str
    retrieved: str
    verified: bool
    origin: Origin
    mapping_key: str | None = None
    verification_note: Text | None = None
    complete: bool = False
    partial: bool = False
    superseded_by: str | None = None
    migration: dict[str, str] = field(default_factory=dict)
    items: list[FrameworkItem] = field(default_factory=list)

    def item(self, item_id: str) -> FrameworkItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def gaps(self) -> list[FrameworkItem]:
        """Items nothing covers and no reason puts out of scope."""
        return [i for i in self.items if not i.covered and i.out_of_scope is None]


@dataclass(frozen=True)
class SelfCheckOption:
    id: str
    label: Text


@dataclass(frozen=True)
class SelfCheckQuestion:
    id: str
    label: Text
    options: tuple[SelfCheckOption, ...]


@dataclass(frozen=True)
class SelfCheckRule:
    """Applies when every question in ``when`` has one of its listed options among the answers."""

    when: dict[str, tuple[str, ...]]
    risks: tuple[Risk, ...] = ()
    provisions: tuple[Provision, ...] = ()


@dataclass(frozen=True)
class SelfCheckExample:
    case: str
    answers: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SelfCheck:
    """The self-check page's questions and the rules that pick the applicable risks (content/catalog)."""

    questions: tuple[SelfCheckQuestion, ...]
    always: tuple[Risk, ...]
    rules: tuple[SelfCheckRule, ...]
    examples: tuple[SelfCheckExample, ...] = ()


@dataclass
class Corpus:
    """The whole validated edition. Lists keep file order; dicts index by id."""

    root: Path
    publication: Publication
    vocabularies: dict[str, dict[str, Text]]
    scoring: Scoring
    scales: dict[str, Scale]
    instruments: dict[str, Instrument]
    provisions: dict[str, Provision]
    risks: dict[str, Risk]
    mitigations: dict[str, Mitigation]
    metrics: dict[str, Metric]
    glossary: list[GlossaryTerm]
    policy: Policy | None
    cases: dict[str, CaseStudy]
    legal_checks: LegalChecks | None = None
    self_check: SelfCheck | None = None
    frameworks: dict[str, Framework] = field(default_factory=dict)
    #: Readers' search words by record id (``content/catalog/aliases.yaml``); never shown on a page.
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Word groups the site's search rephrases with (``content/catalog/synonyms.yaml``): (role, words).
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def label(self, vocabulary: str, value: str) -> str:
        """Japanese display label of an enum value (falls back to the value itself)."""
        entry = self.vocabularies.get(vocabulary, {}).get(value)
        return entry.ja if entry else value

    @property
    def has_samples(self) -> bool:
        return any(c.is_sample for c in self.cases.values())

    @property
    def check_items(self) -> dict[str, CheckItem]:
        """Every active check item by id, in catalogue order (mitigation by mitigation)."""
        return {item.id: item for m in self.mitigations.values() if m.status != "retired" for item in m.checklist}

    @property
    def retired_check_items(self) -> dict[str, CheckItem]:
        """Check items no longer asked for (their ids stay reserved), and the items of retired mitigations."""
        out = {item.id: item for m in self.mitigations.values() for item in m.retired_items}
        out.update({item.id: item for m in self.mitigations.values() if m.status == "retired"
                    for item in m.checklist})
        return out

    def record(self, record_id: str) -> Risk | Mitigation | Provision | Instrument | CaseStudy | Metric | None:
        for table in (self.risks, self.mitigations, self.provisions, self.instruments, self.cases,
                      self.metrics):
            if record_id in table:
                return table[record_id]
        return None


def _unique(items) -> list:
    seen: dict[int, object] = {}
    for item in items:
        seen.setdefault(id(item), item)
    return list(seen.values())
