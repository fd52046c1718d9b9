"""Turn schema-valid documents into the typed :class:`~casebook.model.Corpus`, resolving references.

Every reference that does not resolve becomes a ``dangling-ref`` diagnostic at the place it was written;
reverse lists (risk → assessments, provision → risks …) are filled in here, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from . import crosswalk
from .errors import Location
from .load import Document, Pointer, pointer_text
from .messages import Term
from .model import (
    ApplicationStatus,
    AppliedMitigation,
    Assessment,
    Band,
    CaseStatus,
    CaseStudy,
    Chapter,
    CheckItem,
    Clause,
    Contributor,
    Corpus,
    EditionEntry,
    Evaluation,
    EvidenceRule,
    GlossaryTerm,
    Image,
    Improvement,
    Institution,
    Instrument,
    InstrumentKind,
    LegalChecks,
    Level,
    Mappings,
    Metric,
    Mitigation,
    MitigationKind,
    MitigationType,
    Origin,
    Policy,
    Provenance,
    Provision,
    Publication,
    ReadinessEntry,
    RecordStatus,
    ReportLayout,
    Risk,
    Scale,
    Score,
    Scoring,
    SelfCheck,
    SelfCheckExample,
    SelfCheckOption,
    SelfCheckQuestion,
    SelfCheckRule,
    SpecialData,
    SpecialDataRule,
    Step,
    System,
    Text,
    Volume,
)

T = TypeVar("T")


def text(value: dict | None) -> Text | None:
    return Text(value["ja"], value.get("en")) if value else None


def texts(values: list | None) -> list[Text]:
    return [Text(v["ja"], v.get("en")) for v in values or []]


class Builder:
    """Collects records from documents, then links them. ``documents`` are schema-valid."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: dict[str, list[tuple[Document, Pointer, dict]]] = {}
        self.singletons: dict[str, tuple[Document, dict]] = {}
        self.cases: list[tuple[Document, dict]] = []
        self.refused_kinds: set[str] = set()  # catalogues refused for their own errors (set by validate)
        self._said_no_frameworks = False

    # -- collecting -----------------------------------------------------------------------------
    def add_catalog(self, doc: Document, kind: str, skip: set[int] | frozenset[int] = frozenset()) -> None:
        """Add a catalogue file's records, leaving out the indexes in ``skip`` (refused on their own)."""
        body = doc.data[kind]
        if isinstance(body, list):
            self.items.setdefault(kind, []).extend((doc, (kind, i), item) for i, item in enumerate(body)
                                                   if i not in skip)
        elif kind in self.singletons:
            first = self.singletons[kind][0]
            try:  # named as the contributor sees it, from the project root
                where = first.path.relative_to(self.root).as_posix()
            except ValueError:
                where = str(first.path)
            doc.error((kind,), "duplicate-catalog", {"kind": kind, "first": where}, key=True)
        else:
            self.singletons[kind] = (doc, body)

    def add_case(self, doc: Document) -> None:
        self.cases.append((doc, doc.data))

    # -- linking --------------------------------------------------------------------------------
    def _index(self, kind: str) -> dict[str, tuple[Document, Pointer, dict]]:
        table: dict[str, tuple[Document, Pointer, dict]] = {}
        for doc, ptr, item in self.items.get(kind, []):
            rid = item["id"]
            if rid in table:
                other = self._place(table[rid][0].location(table[rid][1]))
                doc.error((*ptr, "id"), "duplicate-id", {"id": rid, "other": other})
                continue
            table[rid] = (doc, ptr, item)
        return table

    def _mappings(self, doc: Document, ptr: Pointer, data: dict, frameworks: dict) -> Mappings:
        """A record's mappings, checked against the frameworks catalogue (which must exist to map at all)."""
        if data and not frameworks and "frameworks" not in self.refused_kinds:
            if not self._said_no_frameworks:
                self._said_no_frameworks = True
                doc.error((*ptr, "mappings"), "missing-catalog", key=True, variant="frameworks")
            return Mappings(**{k: v for k, v in data.items() if k in Mappings.__dataclass_fields__})
        return crosswalk.mappings(doc, (*ptr, "mappings"), data, frameworks)

    def _place(self, where: Location | Path) -> str:
        """A place as the contributor names it: relative to the project root (``content/catalog/x.yaml:3:5``)."""
        path, rest = (where.path, str(where).removeprefix(str(where.path))) if isinstance(where, Location) \
            else (where, "")
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix() + rest
        except ValueError:
            return str(path) + rest

    def _check_items(self, mit: Mitigation, doc: Document, ptr: Pointer, items: list[dict],
                     seen: dict[str, tuple[Document, Pointer]]) -> None:
        """A mitigation's check items: ids are ``<mitigation id>-<n>``, unique across the catalogue."""
        numbers = [int(n) for n in (str(i["id"]).removeprefix(f"{mit.id}-") for i in items) if n.isdigit()]
        free = f"{mit.id}-{max(numbers, default=0) + 1}"
        for i, d in enumerate(items):
            iptr = (*ptr, "checklist", i)
            iid = d["id"]
            number = iid.removeprefix(f"{mit.id}-")
            if not iid.startswith(f"{mit.id}-") or not number.isdigit():
                doc.error((*iptr, "id"), "check-item-id", {"id": iid, "mitigation": mit.id, "free": free})
                continue
            if iid in seen:
                other = self._place(seen[iid][0].location(seen[iid][1]))
                doc.error((*iptr, "id"), "duplicate-id", {"id": iid, "other": other, "free": free},
                          variant="item")
                continue
            seen[iid] = (doc, iptr)
            item = CheckItem(iid, Text(d["ja"], d.get("en")), d.get("status", "active"), mit)
            (mit.retired_items if item.status == "retired" else mit.checklist).append(item)

    @staticmethod
    def _origin(doc: Document, ptr: Pointer) -> Origin:
        return Origin(doc.path, doc, ptr)

    @staticmethod
    def _resolve(table: dict[str, T], ids: list[str], doc: Document, ptr: Pointer, what: str) -> list[T]:
        out = []
        for i, rid in enumerate(ids):
            if rid in table:
                out.append(table[rid])
            else:
                _dangling(doc, (*ptr, i), rid, what, table)
        return out

    def build(self) -> Corpus | None:
        missing = [k for k in ("publication", "scoring", "scales", "vocabularies")
                   if k not in self.singletons and k not in self.items]
        if missing:
            return None  # reported by the caller, which knows the catalogue folder
        vocab = {name: {k: Text(v["ja"], v.get("en")) for k, v in values.items()}
                 for name, values in self.singletons["vocabularies"][1].items()}
        scoring = self._scoring()
        if not self._scoring_sound(scoring):
            return None  # every case's score is read through the bands: they must cover 1–25 exactly once
        scales = self._scales()

        instruments: dict[str, Instrument] = {}
        for rid, (doc, ptr, d) in self._index("instruments").items():
            instruments[rid] = Instrument(
                id=rid, name=text(d["name"]), kind=InstrumentKind(d["kind"]), verified=d["verified"],
                origin=self._origin(doc, ptr), short_name=text(d.get("short_name")),
                law_number=d.get("law_number"), egov_id=d.get("egov_id"), publisher=text(d.get("publisher")),
                issued=d.get("issued"), url=d.get("url"), summary=text(d.get("summary")),
                verification_note=text(d.get("verification_note")), status=RecordStatus(d.get("status", "active")),
                replaced_by=d.get("replaced_by"))
        provisions: dict[str, Provision] = {}
        for rid, (doc, ptr, d) in self._index("provisions").items():
            inst = instruments.get(d["instrument"])
            if inst is None:
                _dangling(doc, (*ptr, "instrument"), d["instrument"], "instrument", instruments)
                continue
            prov = Provision(
                id=rid, instrument=inst, article=d["article"], title=text(d["title"]),
                relevance=text(d["relevance"]), verified=d["verified"], origin=self._origin(doc, ptr),
                url=d.get("url"), summary=text(d.get("summary")),
                verification_note=text(d.get("verification_note")), status=RecordStatus(d.get("status", "active")),
                replaced_by=d.get("replaced_by"), editorial_title=d.get("editorial_title", False))
            provisions[rid] = prov
            inst.provisions.append(prov)
        frameworks = crosswalk.build_frameworks(list(self._index("frameworks").values()))
        risks: dict[str, Risk] = {}
        for rid, (doc, ptr, d) in self._index("risks").items():
            risk = Risk(
                id=rid, name=text(d["name"]), category=d["category"], description=text(d["description"]),
                provisions=self._resolve(provisions, d["provisions"], doc, (*ptr, "provisions"), "provision"),
                mappings=self._mappings(doc, ptr, d.get("mappings", {}), frameworks), origin=self._origin(doc, ptr),
                programme_named=d.get("programme_named", False), examples=texts(d.get("examples")),
                status=RecordStatus(d.get("status", "active")), replaced_by=d.get("replaced_by"))
            risks[rid] = risk
            for prov in risk.provisions:
                prov.risks.append(risk)
        mitigations: dict[str, Mitigation] = {}
        item_ids: dict[str, tuple[Document, Pointer]] = {}
        for rid, (doc, ptr, d) in self._index("mitigations").items():
            mit = Mitigation(
                id=rid, name=text(d["name"]), kind=MitigationKind(d["kind"]), type=MitigationType(d["type"]),
                risks=self._resolve(risks, d["mitigates"], doc, (*ptr, "mitigates"), "risk"),
                description=text(d["description"]), checklist=[],
                evidence=texts(d["evidence"]), origin=self._origin(doc, ptr),
                provisions=self._resolve(provisions, d.get("provisions", []), doc, (*ptr, "provisions"),
                                         "provision"),
                mappings=self._mappings(doc, ptr, d.get("mappings", {}), frameworks),
                status=RecordStatus(d.get("status", "active")),
                replaced_by=d.get("replaced_by"))
            mitigations[rid] = mit
            self._check_items(mit, doc, ptr, d["checklist"], item_ids)
            for risk in mit.risks:
                risk.mitigations.append(mit)
            for prov in mit.provisions:
                prov.mitigations.append(mit)
        metrics: dict[str, Metric] = {}
        for rid, (doc, ptr, d) in self._index("metrics").items():
            met = Metric(
                id=rid, name=text(d["name"]), definition=text(d["definition"]), unit=d["unit"],
                better=d["better"], origin=self._origin(doc, ptr), method=text(d.get("method")),
                sources=texts(d.get("sources")),
                risks=self._resolve(risks, d.get("risks", []), doc, (*ptr, "risks"), "risk"),
                status=RecordStatus(d.get("status", "active")), replaced_by=d.get("replaced_by"))
            metrics[rid] = met
            for risk in met.risks:
                risk.metrics.append(met)
        glossary_index = self._index("glossary")
        glossary = [
            GlossaryTerm(id=d["id"], term=text(d["term"]), definition=text(d["definition"]),
                         reading=d.get("reading"), see_also=tuple(d.get("see_also", [])))
            for _doc, _ptr, d in glossary_index.values()
        ]
        # see_also names glossary terms or any record; an unknown id would silently show as plain text
        known = {**glossary_index, **instruments, **provisions, **risks, **mitigations, **metrics,
                 **{d["id"]: d for _doc, d in self.cases}}
        for doc, ptr, d in glossary_index.values():
            for i, ref in enumerate(d.get("see_also", [])):
                if ref not in known:
                    _dangling(doc, (*ptr, "see_also", i), ref, "see-also", known)
        record_ids = {*instruments, *provisions, *risks, *mitigations, *metrics}
        for iid, (doc, ptr) in item_ids.items():
            if iid in record_ids:
                doc.error((*ptr, "id"), "duplicate-id", {"id": iid}, variant="item-record")
        corpus = Corpus(
            root=self.root, publication=self._publication(), vocabularies=vocab, scoring=scoring,
            scales=scales, instruments=instruments, provisions=provisions, risks=risks,
            mitigations=mitigations, metrics=metrics, glossary=glossary, policy=None, cases={},
            legal_checks=self._legal_checks(),
            frameworks=frameworks)
        corpus.policy = self._policy(corpus)
        self._cases(corpus)
        corpus.self_check = self._self_check(corpus)
        crosswalk.link(corpus)
        corpus.aliases = self._aliases({**known, **corpus.cases})
        corpus.synonyms = self._synonyms()
        return corpus

    def _synonyms(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The search's word groups (role, words); an equivalence group of one word is an error."""
        out: list[tuple[str, tuple[str, ...]]] = []
        for doc, ptr, d in self.items.get("synonyms", []):
            role = d.get("role", "equivalent")
            words = tuple(dict.fromkeys(w.strip() for w in d["words"] if w.strip()))
            if role == "equivalent" and len(words) < 2:
                doc.error((*ptr, "words"), "synonym-group")
                continue
            out.append((role, words))
        return tuple(out)

    def _aliases(self, known: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        """Readers' search words by record id; an unknown id or a second entry for one id is an error."""
        out: dict[str, tuple[str, ...]] = {}
        first: dict[str, tuple[Document, Pointer]] = {}
        for doc, ptr, d in self.items.get("aliases", []):
            rid = d["id"]
            if rid not in known:
                _dangling(doc, (*ptr, "id"), rid, "alias-target", known)
                continue
            if rid in first:
                where = first[rid][0].location(first[rid][1])
                doc.error((*ptr, "id"), "duplicate-id", {"id": rid, "other": self._place(where)}, variant="aliases")
                continue
            first[rid] = (doc, ptr)
            for i, word in enumerate(d["words"]):
                if not word.strip() or any(c in word for c in "\r\n\t"):
                    doc.error((*ptr, "words", i), "alias-word")
            out[rid] = tuple(dict.fromkeys(w.strip() for w in d["words"] if w.strip()))
        return out

    # -- singletons -----------------------------------------------------------------------------
    def _scoring(self) -> Scoring:
        d = self.singletons["scoring"][1]

        def steps(key: str) -> list[Step]:
            return [Step(s["level"], text(s["label"]), text(s.get("description")),
                         s.get("bounds", {}).get("max_rate"), s.get("bounds", {}).get("max_events_per_year"))
                    for s in d[key]]

        bands = [Band(b["id"], text(b["label"]), b["min"], b["max"], b["colour"], text(b.get("action")))
                 for b in d["bands"]]
        evidence = {e["metric"]: EvidenceRule(e["metric"], e["counts"], e["exposure"])
                    for e in d.get("evidence", [])}
        return Scoring(steps("likelihood"), steps("impact"), sorted(bands, key=lambda b: b.min),
                       text(d.get("method")), evidence)

    def _scoring_sound(self, sc: Scoring) -> bool:
        """Report bands that are reversed, overlap or leave a score 1–25 out, and scales whose levels are not
        1–5 once each (before any score is banded: a broken band table is refused, not tripped over)."""
        doc, d = self.singletons["scoring"]
        before = len(doc.diagnostics)
        raw = d["bands"]
        covered: dict[int, str] = {}
        for i, b in enumerate(raw):
            if b["min"] > b["max"]:
                doc.error(("scoring", "bands", i, "min"), "band-order", {"id": b["id"]})
            shared = [v for v in range(b["min"], b["max"] + 1) if v in covered]
            if shared:  # one message per band, naming its lowest shared score
                doc.error(("scoring", "bands", i, "min"), "band-overlap",
                          {"score": shared[0], "first": covered[shared[0]], "second": b["id"]})
            covered.update((v, b["id"]) for v in range(b["min"], b["max"] + 1) if v not in covered)
        gaps = sorted({lk * im for lk in range(1, 6) for im in range(1, 6)} - set(covered))
        if gaps:
            doc.error(("scoring", "bands"), "band-gap", {"scores": ", ".join(map(str, gaps))}, key=True)
        for name, steps in (("likelihood", sc.likelihood), ("impact", sc.impact)):
            if sorted(s.level for s in steps) != [1, 2, 3, 4, 5]:
                doc.error(("scoring", name), "levels", {"name": Term(name), "low": 1, "high": 5}, key=True)
        return len(doc.diagnostics) == before

    def _self_check(self, corpus: Corpus) -> SelfCheck | None:
        """The self-check's questions and rules; every id they name must exist."""
        if "self_check" not in self.singletons:
            return None
        doc, d = self.singletons["self_check"]
        ptr0: Pointer = ("self_check",)
        questions = []
        for i, q in enumerate(d["questions"]):
            if "options" in q:
                options = tuple(SelfCheckOption(o["id"], text(o["label"])) for o in q["options"])
            elif q.get("vocabulary") in corpus.vocabularies:
                options = tuple(SelfCheckOption(k, v) for k, v in corpus.vocabularies[q["vocabulary"]].items())
            else:
                _dangling(doc, (*ptr0, "questions", i, "vocabulary"), str(q.get("vocabulary")), "vocabulary",
                          corpus.vocabularies)
                continue
            questions.append(SelfCheckQuestion(q["id"], text(q["label"]), options))
        known = {q.id: {o.id for o in q.options} for q in questions}

        def answers(mapping: dict, ptr: Pointer) -> dict[str, tuple[str, ...]]:
            if not mapping:
                _dangling(doc, ptr, "", "question", known)
            for qid, opts in mapping.items():
                if qid not in known:
                    _dangling(doc, (*ptr, qid), qid, "question", known)
                    continue
                for j, opt in enumerate(opts):
                    if opt not in known[qid]:
                        _dangling(doc, (*ptr, qid, j), opt, "option", {o: None for o in known[qid]})
            return {k: tuple(v) for k, v in mapping.items()}

        rules = []
        for i, r in enumerate(d["rules"]):
            rp = (*ptr0, "rules", i)
            rules.append(SelfCheckRule(
                answers(r["when"], (*rp, "when")),
                tuple(self._resolve(corpus.risks, r.get("risks", []), doc, (*rp, "risks"), "risk")),
                tuple(self._resolve(corpus.provisions, r.get("provisions", []), doc, (*rp, "provisions"),
                                    "provision"))))
        examples = []
        for i, e in enumerate(d.get("examples", [])):
            ep = (*ptr0, "examples", i)
            if e["case"] not in corpus.cases:
                _dangling(doc, (*ep, "case"), e["case"], "case-study", corpus.cases)
            examples.append(SelfCheckExample(e["case"], answers(e["answers"], (*ep, "answers"))))
        always = tuple(self._resolve(corpus.risks, d["always"], doc, (*ptr0, "always"), "risk"))
        return SelfCheck(tuple(questions), always, tuple(rules), tuple(examples))

    def _legal_checks(self) -> LegalChecks | None:
        if "legal_checks" not in self.singletons:
            return None
        d = self.singletons["legal_checks"][1]
        rules = {r["category"]: SpecialDataRule(r["category"], tuple(r["consent_forms"]), text(r["basis_note"]))
                 for r in d["special_data"]}
        return LegalChecks(tuple(d["statute_kinds"]), rules)

    def _scales(self) -> dict[str, Scale]:
        out = {}
        for _doc, _ptr, s in self.items.get("scales", []):
            levels = sorted((Level(lv["level"], text(lv["label"]), lv["wording"], text(lv.get("description")))
                             for lv in s["levels"]), key=lambda lv: lv.level)
            out[s["id"]] = Scale(s["id"], text(s["name"]), text(s["description"]), s["official_wording"],
                                 levels, text(s.get("source")))
        return out

    def _publication(self) -> Publication:
        d = self.singletons["publication"][1]
        lic = d["licence"]
        return Publication(
            title=text(d["title"]), publisher=text(d["publisher"]), edition=d["edition"], date=d["date"],
            licence_name=text(lic["name"]), licence_url=lic.get("url"), licence_note=text(lic.get("note")),
            editions=[EditionEntry(e["edition"], e["date"], text(e["summary"]), e.get("ref"))
                      for e in d["editions"]],
            subtitle=text(d.get("subtitle")),
            status_note=text(d.get("status_note")), keywords=list(d.get("keywords", [])),
            contact=text(d.get("contact")), report=_layout(d.get("report")))

    def _policy(self, corpus: Corpus) -> Policy | None:
        if "policy" not in self.singletons:
            return None
        doc, d = self.singletons["policy"]
        chapters = []
        seen: set[str] = set()
        for ci, ch in enumerate(d["chapters"]):
            chapter = Chapter(ch["id"], text(ch["title"]), text(ch.get("intro")))
            for li, cl in enumerate(ch["clauses"]):
                ptr = ("policy", "chapters", ci, "clauses", li)
                if cl["id"] in seen or ch["id"] in seen:
                    doc.error((*ptr, "id"), "duplicate-id", {"id": cl["id"]}, variant="clause")
                seen.add(cl["id"])
                if not cl["id"].startswith(ch["id"] + "-"):
                    doc.error((*ptr, "id"), "clause-chapter", {"id": cl["id"], "chapter": ch["id"]})
                clause = Clause(cl["id"], text(cl["title"]), text(cl["text"]), chapter, order=len(seen))
                for i, rid in enumerate(cl.get("cites", [])):
                    target = corpus.risks.get(rid) or corpus.mitigations.get(rid) or corpus.provisions.get(rid)
                    if target is None:
                        _dangling(doc, (*ptr, "cites", i), rid, "cites",
                                  {**corpus.risks, **corpus.mitigations, **corpus.provisions})
                        continue
                    clause.cites.append(target)
                    target.clauses.append(clause)
                chapter.clauses.append(clause)
            seen.add(ch["id"])
            chapters.append(chapter)
        return Policy(text(d["title"]), chapters, text(d.get("preamble")))

    # -- case studies ---------------------------------------------------------------------------
    def _cases(self, corpus: Corpus) -> None:
        seen: dict[str, Document] = {}
        for doc, d in self.cases:
            cid = d["id"]
            if cid in seen:
                doc.error(("id",), "duplicate-id", {"id": cid, "other": self._place(seen[cid].path)}, variant="case")
                continue
            seen[cid] = doc
            case = self._case(corpus, doc, d)
            corpus.cases[cid] = case

    def _case(self, corpus: Corpus, doc: Document, d: dict) -> CaseStudy:
        inst, sysd = d["institution"], d["system"]
        hitl = sysd["human_in_the_loop"]
        folder = doc.path.parent
        case = CaseStudy(
            id=d["id"], title=text(d["title"]), provenance=Provenance(d["provenance"]), status=CaseStatus(d["status"]),
            summary=text(d["summary"]),
            institution=Institution(inst["type"], inst["region"], text(inst.get("name")), inst.get("size")),
            use_level=d["use_level"], channels=list(d["channels"]), service=text(d["service"]),
            system=System(tuple(sysd["patterns"]), sysd["model_hosting"], tuple(texts(sysd["data_sources"])),
                          hitl["mode"], text(hitl["description"]), text(sysd["description"]),
                          tuple(texts(sysd.get("models")))),
            readiness={}, period_start=d["period"]["start"], period_end=d["period"].get("end"),
            updated=d["updated"], origin=self._origin(doc, ()), folder=folder,
            lessons=texts(d.get("lessons")),
            contributors=[Contributor(c["name"], c["role"]) for c in d.get("contributors", [])],
            replaced_by=d.get("replaced_by"))
        if vol := d.get("volume"):
            case.volume = Volume(vol["interactions"], vol["per"], text(vol["basis"]), vol["illustrative"])
        for i, sd in enumerate(d.get("special_data", [])):
            consent = sd.get("consent") or {}
            case.special_data.append(SpecialData(
                sd["category"], text(sd["items"]), text(sd["handling"]), sd["basis"],
                tuple(self._resolve(corpus.provisions, sd["provisions"], doc, ("special_data", i, "provisions"),
                                    "provision")),
                consent.get("form"), text(consent.get("description")), text(sd.get("exception"))))
            for prov in case.special_data[-1].provisions:
                if case not in prov.declarations:
                    prov.declarations.append(case)
        for key in ("trl", "brl", "grl"):
            entry = d["readiness"][key]
            scale = corpus.scales.get(key)
            if scale is None:
                doc.error(("readiness", key), "dangling-ref", {"what": Term("readiness-scale"), "id": key},
                          variant="scale")
                continue
            case.readiness[key] = ReadinessEntry(scale, entry["level"], text(entry["basis"]))
        for img in d.get("images", []):
            case.images.append(Image(folder / img["path"], img["path"], text(img["alt"]),
                                     text(img.get("caption"))))
        for i, imp in enumerate(d.get("improvements", [])):
            ptr = ("improvements", i, "risks")
            case.improvements.append(Improvement(
                text(imp["title"]), text(imp["description"]),
                tuple(self._resolve(corpus.risks, imp.get("risks", []), doc, ptr, "risk")), imp.get("date")))
        for i, a in enumerate(d["assessments"]):
            self._assessment(corpus, case, doc, ("assessments", i), a)
        return case

    def _assessment(self, corpus: Corpus, case: CaseStudy, doc: Document, ptr: Pointer, a: dict) -> None:
        risk = corpus.risks.get(a["risk"])
        if risk is None:
            _dangling(doc, (*ptr, "risk"), a["risk"], "risk", corpus.risks)
            return
        if case.assessment_for(risk):
            doc.error((*ptr, "risk"), "duplicate-assessment", {"id": risk.id})
            return
        band = corpus.scoring.band

        def score(s: dict) -> Score:
            return Score(s["likelihood"], s["impact"], band(s["likelihood"] * s["impact"]))

        assessment = Assessment(
            case=case, risk=risk, inherent=score(a["inherent"]), residual=score(a["residual"]),
            findings=text(a["findings"]), origin=self._origin(doc, ptr),
            provisions=self._resolve(corpus.provisions, a["provisions"], doc, (*ptr, "provisions"),
                                     "provision"),
            context=text(a.get("context")), residual_rationale=text(a.get("residual_rationale")))
        for i, m in enumerate(a["mitigations"]):
            mit = corpus.mitigations.get(m["id"])
            if mit is None:
                _dangling(doc, (*ptr, "mitigations", i, "id"), m["id"], "mitigation", corpus.mitigations)
                continue
            applied = AppliedMitigation(mit, ApplicationStatus(m["status"]), assessment, text(m.get("note")))
            assessment.mitigations.append(applied)
            mit.applications.append(applied)
        for i, e in enumerate(a.get("evaluations", [])):
            metric = corpus.metrics.get(e["metric"])
            if metric is None:
                _dangling(doc, (*ptr, "evaluations", i, "metric"), e["metric"], "metric", corpus.metrics)
                continue
            assessment.evaluations.append(Evaluation(metric, text(e["method"]), e["n"], e["before"],
                                                     e["after"], e["illustrative"], e.get("n_before"),
                                                     e.get("attempt_share")))
        case.assessments.append(assessment)
        risk.assessments.append(assessment)
        for prov in assessment.provisions:
            prov.assessments.append(assessment)


def _dangling(doc: Document, ptr: Pointer, rid: str, what: str, table: dict[str, Any]) -> None:
    """``what`` is a term of the message registry (risk, mitigation, provision, metric, …)."""
    import difflib

    if any(d.field == pointer_text(ptr) for d in doc.diagnostics):
        return  # the value is already reported (e.g. typed full-width); one message per mistake
    guess = difflib.get_close_matches(rid, list(table), n=1, cutoff=0.6)
    # Contributors of case studies never edit the catalogue (CONTRIBUTING): they ask the editors instead.
    variant = "" if guess else ("case" if doc.kind == "casestudy" else "catalog")
    doc.error(ptr, "dangling-ref", {"what": Term(what), "id": rid, "guess": guess[0] if guess else ""},
              variant=variant)


def _layout(d: dict | None) -> ReportLayout:
    if not d:
        return ReportLayout()
    default = ReportLayout()
    return ReportLayout(chapters=tuple(d.get("chapters", default.chapters)),
                        appendices=tuple(d.get("appendices", default.appendices)),
                        dates=d.get("dates", default.dates))


def each_string(value: Any, ptr: Pointer = ()) -> list[tuple[Pointer, str]]:
    """Every string in a loaded document with its pointer (used by the PII scan and lint checks)."""
    out: list[tuple[Pointer, str]] = []
    stack: list[tuple[Pointer, Any]] = [(ptr, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            out.append((p, v))
        elif isinstance(v, dict):
            stack.extend(((*p, k), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend(((*p, i), x) for i, x in enumerate(v))
    return out


