#!/usr/bin/env bash
# Newcomer trial: on a clean clone in a temporary folder, follow CONTRIBUTING.md literally, from
# `casebook new` to a valid, previewed case study, and print each step's result and time.
#
#   scripts/newcomer_trial.sh
#
# Environment:
#   CASEBOOK_TRIAL_VENV=/path/.venv  reuse an existing virtual environment instead of ./scripts/bootstrap.sh
#                                    (quick; the clone's own src/ is put first on PYTHONPATH so the code under
#                                    trial is the clone's, not the one the venv was installed from)
#   CASEBOOK_TRIAL_SOURCE=PATH       repository to clone (default: the one holding this script)
#   CASEBOOK_TRIAL_MISTAKES=0        fill the template without the two typical slips (default 1: make them,
#                                    then fix them only from what `casebook validate` prints)
#   CASEBOOK_TRIAL_SERVE=0           skip the `casebook serve` fallback when `casebook preview` is unavailable
#   CASEBOOK_TRIAL_BUILD=0           skip what CI does with the pull request (validate --format github and
#                                    build --strict, site and PDF: about 40 s)
#   CASEBOOK_TRIAL_KEEP=1            keep the temporary folder
# Exit code: 0 when the case study validates cleanly (--strict) and was previewed (or preview was skipped
# with a message), 1 otherwise.
set -uo pipefail

SLUG=sample-newcomer-trial
HERE=$(cd "$(dirname "$0")/.." && pwd)
SOURCE=${CASEBOOK_TRIAL_SOURCE:-$HERE}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/casebook-newcomer.XXXXXX")
CLONE=$WORK/casebook
LOG=$WORK/logs
mkdir -p "$LOG"
SERVE_PID=
export NO_MKDOCS_2_WARNING=1

cleanup() {
  if [ -n "$SERVE_PID" ]; then kill -- "-$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; fi
  if [ "${CASEBOOK_TRIAL_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

RESULTS=()
STUMBLES=()
stumble() { STUMBLES+=("$1"); echo "  ! stumble: $1"; }

# step NAME COMMAND...: run, time, log; prints the last lines of output; sets $STEP_RC.
step() {
  local name=$1; shift
  local slug; slug=$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')
  local out="$LOG/$(printf '%02d' ${#RESULTS[@]})-$slug.log"
  local t0 t1
  echo "== $name"
  echo "   \$ $*"
  t0=$(date +%s.%N)
  "$@" >"$out" 2>&1
  STEP_RC=$?
  t1=$(date +%s.%N)
  STEP_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  STEP_LOG=$out
  sed -e 's/^/   | /' "$out" | tail -n "${STEP_TAIL:-12}"
  local status=ok
  [ "$STEP_RC" = 0 ] || status="FAIL($STEP_RC)"
  echo "   -> $status in ${STEP_SECS}s"
  RESULTS+=("$(printf '%-52s %-8s %6ss' "$name" "$status" "$STEP_SECS")")
}
note_result() {  # override the last result's status (e.g. SKIP)
  local last=$((${#RESULTS[@]} - 1))
  RESULTS[last]=$(printf '%-52s %-8s %6ss' "$1" "$2" "$STEP_SECS")
}

# --- CONTRIBUTING 2: 準備 ---------------------------------------------------------------------------
step "clone (clean checkout)" git clone -q "$SOURCE" "$CLONE"
[ "$STEP_RC" = 0 ] || exit 1
cd "$CLONE" || exit 1

if [ -n "${CASEBOOK_TRIAL_VENV:-}" ]; then
  step "bootstrap (reusing CASEBOOK_TRIAL_VENV)" test -x "$CASEBOOK_TRIAL_VENV/bin/casebook"
  export PATH="$CASEBOOK_TRIAL_VENV/bin:$PATH" PYTHONPATH="$CLONE/src${PYTHONPATH:+:$PYTHONPATH}"
else
  step "bootstrap (./scripts/bootstrap.sh)" ./scripts/bootstrap.sh
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
[ "$STEP_RC" = 0 ] || { echo "bootstrap failed; see $STEP_LOG"; exit 1; }
step "casebook --help" casebook --help
step "git switch -c case/$SLUG" git switch -q -c "case/$SLUG"

# --- CONTRIBUTING 3: ひな形 -------------------------------------------------------------------------
step "casebook new $SLUG" casebook new "$SLUG"
[ "$STEP_RC" = 0 ] || exit 1
CASE=casestudies/$SLUG/case.yaml
grep -q '^# yaml-language-server: \$schema=' "$CASE" || stumble "the template has no yaml-language-server line"

# --- CONTRIBUTING 4: 記入 (what a newcomer does in an editor, done by a small Python step) ----------
cat >"$WORK/fill.py" <<'PY'
"""Fill every 【要記入】 and the assessments the way a newcomer would, reading ids from content/catalog."""
import os
import re
import sys
from pathlib import Path

import yaml

case = Path(sys.argv[1])
mistakes = os.environ.get("CASEBOOK_TRIAL_MISTAKES", "1") == "1"
catalog = Path("content/catalog")
risks, mitigations, metrics = [], [], []
for f in sorted(catalog.glob("*.yaml")):
    data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
    risks += data.get("risks", []) if isinstance(data, dict) else []
    mitigations += data.get("mitigations", []) if isinstance(data, dict) else []
    metrics += data.get("metrics", []) if isinstance(data, dict) else []
live = lambda r: r.get("status", "active") != "retired"  # noqa: E731
programme = [r for r in risks if r.get("programme_named") and live(r)] or [r for r in risks if live(r)][:1]
if not programme:
    sys.exit("no risk in content/catalog: cannot fill the assessments")

# What the newcomer writes, chosen by the words of each placeholder's own instruction.
TEXT = {
    "何を、誰に": "説明用の架空の事例です。地方銀行が、公開している商品説明書を根拠に、個人の顧客の質問にウェブのチャットで"
                 "答える。答えられない質問は有人の窓口に引き継ぐ。掲載している数値はすべて例示であり、測定結果ではない。",
    "サービスの内容": "預金とローンの商品内容、手数料、手続の案内を、ウェブサイトのチャットで 24 時間提供する。",
    "参照するデータ": "公開している商品説明書とよくある質問",
    "人がどこで": "回答できない質問、苦情、取引の判断に関わる質問は、有人チャットに引き継ぐ。",
    "システム構成": "質問に関連する公開文書を検索し、その文書だけを根拠に回答を生成し、根拠のページを示す。",
    "技術成熟度": "本番と同じ構成の試験環境で、架空の評価データを用いて動作を確認したという想定。",
    "事業成熟度": "問合せの件数と引継ぎの割合から効果を見積もったという想定。",
    "ガバナンス成熟度": "利用方針に基づくリスク評価を行い、社内規程の案を作成したという想定。",
    "教訓": "評価データは、本番の問合せの傾向に合わせて作ると、改善の効果を確かめやすい。",
    "組織名": "事務局（新規寄稿者の試行）",
}


def replacement(m: re.Match) -> str:
    instruction = m.group(1)
    text = next((v for k, v in TEXT.items() if k in instruction), "説明用の架空の記述。")
    return '"' + text + '"'


out = []
for line in case.read_text(encoding="utf-8").splitlines():
    if line.startswith("title:") and "【要記入】" in line:
        # CONTRIBUTING 4: give the title an English version too (otherwise a warning that fails --strict).
        line = 'title: {ja: "（試行）ウェブの問合せ対応チャットボット", en: "(Trial) Web inquiry chatbot"}'
    line = re.sub(r'"【要記入】([^"]*)"', replacement, line)
    if mistakes and line.strip().startswith("region: undisclosed"):
        line = line.replace("undisclosed", "kansai")  # slip 1: a region name the vocabulary does not use
    out.append(line)
body = "\n".join(out) + "\n"

# Assessments: one per programme-named risk, ids taken from the catalogues.
blocks = ["assessments:"]
for n, risk in enumerate(programme):
    rid = risk["id"]
    mits = [m["id"] for m in mitigations if rid in (m.get("mitigates") or []) and live(m)][:2]
    provs = list(risk.get("provisions") or [])[:2]
    mets = [m["id"] for m in metrics if rid in (m.get("risks") or []) and m.get("unit") == "proportion" and live(m)]
    mit_yaml = ", ".join(f"{{id: {m}, status: implemented}}" for m in mits)
    if mistakes and n == 0 and mits:
        mit_yaml = mit_yaml.replace(mits[0], mits[0] + "S", 1)  # slip 2: a typo in a mitigation id
    blocks += [
        f"  - risk: {rid}",
        f"    context: {{ja: \"この事例で {rid} がどう現れるかの説明（架空）。\"}}",
        "    inherent: {likelihood: 4, impact: 4}",
        f"    provisions: [{', '.join(provs)}]",
        f"    mitigations: [{mit_yaml}]",
    ]
    if mets:
        blocks.append(f"    evaluations: [{{metric: {mets[0]}, method: {{ja: \"架空の評価データ 200 件で改善の前後を比較した"
                      f"という想定。\"}}, n: 200, before: 0.10, after: 0.04, illustrative: true}}]")
    else:
        blocks.append("    evaluations: []")
    blocks += ["    residual: {likelihood: 2, impact: 4}",
               "    findings: {ja: \"改善の後も残るリスクを、有人対応への引継ぎで補う必要がある（架空）。\"}"]
body = re.sub(r"(?ms)^assessments:.*?(?=^improvements:)", "\n".join(blocks) + "\n", body)
case.write_text(body, encoding="utf-8")
left = sum("【要記入】" in ln for ln in body.splitlines() if not ln.lstrip().startswith("#"))
print(f"filled {case}: {len(programme)} assessment(s) ({', '.join(r['id'] for r in programme)}); "
      f"{left} 【要記入】 left")
PY

cat >"$WORK/fix.py" <<'PY'
"""Apply the fixes a newcomer can read off `casebook validate`'s text output (hints only)."""
import re
import sys
from pathlib import Path

case, report = Path(sys.argv[1]), Path(sys.argv[2]).read_text(encoding="utf-8")
lines = case.read_text(encoding="utf-8").splitlines()
fixed = unfixable = 0
pat = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+)\[(?P<code>[\w-]+)\]: (?P<msg>.*?)"
                 r"(?: \(field (?P<field>[^)]*)\))?\n  hint: (?P<hint>.*)$", re.M)
for m in pat.finditer(report):
    if Path(m["path"]).resolve() != case.resolve():
        continue
    i, col = int(m["line"]) - 1, int(m["col"]) - 1
    dym = re.search(r"did you mean `([^`]+)`", m["hint"])
    bad = re.search(r"`([^`]+)`", m["msg"])
    if dym and bad and bad.group(1) in lines[i]:
        lines[i] = lines[i][:col] + lines[i][col:].replace(bad.group(1), dym.group(1), 1)
        print(f"fixed line {i + 1}: `{bad.group(1)}` -> `{dym.group(1)}` (from the hint)")
        fixed += 1
    else:
        print(f"cannot fix from the message alone: {m['code']}: {m['msg']} / hint: {m['hint']}")
        unfixable += 1
case.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"{fixed} fixed, {unfixable} left")
PY

step "fill placeholders + assessments (editor)" python "$WORK/fill.py" "$CASE"
[ "$STEP_RC" = 0 ] || exit 1

# --- CONTRIBUTING 6: 検証 — until clean, fixing only from what the validator prints ------------------
# First `casebook validate casestudies/<ID>`; once that passes, `--strict` (what CI runs; warnings fail too).
clean=0
strict=()
for round in 1 2 3 4; do
  STEP_TAIL=40 step "casebook validate ${strict[*]:+${strict[*]} }(round $round)" \
    casebook validate "${strict[@]}" "casestudies/$SLUG"
  if [ "$STEP_RC" = 0 ]; then
    if [ ${#strict[@]} -gt 0 ]; then clean=1; break; fi
    strict=(--strict)
    continue
  fi
  own=$(grep -c "^casestudies/$SLUG/" "$STEP_LOG")
  other=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning)\[' "$STEP_LOG" | grep -vc "^casestudies/$SLUG/")
  echo "   problems in the new case study: $own; elsewhere (not the newcomer's doing): $other"
  if [ "$own" = 0 ]; then
    stumble "validate fails on files the newcomer did not touch ($other problem(s) outside casestudies/$SLUG)"
    break
  fi
  step "fix from the hints (round $round)" python "$WORK/fix.py" "$CASE" "$STEP_LOG"
  grep -q "cannot fix" "$STEP_LOG" && stumble "round $round: a message the newcomer cannot act on: $(grep -m1 'cannot fix' "$STEP_LOG")"
done
[ "$clean" = 1 ] || stumble "the case study did not validate cleanly (--strict) after 4 rounds"
# Slip 1 was 関西 written as `kansai`; the right block is `kinki`. Did the hint lead there?
if [ "${CASEBOOK_TRIAL_MISTAKES:-1}" = 1 ]; then
  region=$(sed -n 's/^  region: \([a-z-]*\).*/\1/p' "$CASE")
  [ "$region" = kinki ] || stumble "for region \`kansai\` (関西) the hint suggested \`$region\`; the right value is \`kinki\`"
fi

# --- CONTRIBUTING 7: プレビュー --------------------------------------------------------------------
previewed=0
STEP_TAIL=8 step "casebook preview casestudies/$SLUG" casebook preview "casestudies/$SLUG"
if [ "$STEP_RC" = 0 ]; then
  previewed=1
elif grep -qi "not available" "$STEP_LOG"; then
  echo "   preview is not available yet in this version: SKIP (CONTRIBUTING says to use casebook serve instead)"
  note_result "casebook preview casestudies/$SLUG" "SKIP"
  previewed=skip
  if [ "${CASEBOOK_TRIAL_SERVE:-1}" = 1 ] && [ "$clean" = 1 ]; then
    port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    setsid casebook serve --dev-addr "127.0.0.1:$port" >"$LOG/serve.log" 2>&1 &
    SERVE_PID=$!
    cat >"$WORK/wait_page.py" <<'PY'
"""Wait (bounded) until the served page of the case study answers, then check what a reader would see."""
import sys
import time
import urllib.request

url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (loopback only)
            page = r.read().decode("utf-8", "replace")
    except OSError:
        time.sleep(2)
        continue
    for want in ("（試行）ウェブの問合せ対応チャットボット", "例示"):
        print(f"{'found' if want in page else 'MISSING'}: {want}")
    sys.exit(0 if "（試行）" in page else 1)
sys.exit(f"no answer from {url}")
PY
    step "casebook serve → GET /casestudies/$SLUG/" python "$WORK/wait_page.py" \
      "http://127.0.0.1:$port/casestudies/$SLUG/" 240
    [ "$STEP_RC" = 0 ] && previewed=1
    grep -q MISSING "$STEP_LOG" && stumble "the served page lacks: $(grep MISSING "$STEP_LOG" | tr '\n' ' ')"
    [ "$STEP_RC" = 0 ] || tail -n 15 "$LOG/serve.log" | sed 's/^/   serve| /'
    kill -- "-$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=
  fi
fi

# --- CONTRIBUTING 8: what CI does with the pull request ------------------------------------------------
built=skip
if [ "${CASEBOOK_TRIAL_BUILD:-1}" = 1 ] && [ "$clean" = 1 ]; then
  step "CI: casebook validate --strict --format github" casebook validate --strict --format github
  STEP_TAIL=6 step "CI: casebook build --strict (site + PDF)" casebook build --strict --site-dir "$WORK/site"
  built=$STEP_RC
  if [ "$STEP_RC" = 0 ]; then
    [ -f "$WORK/site/report.pdf" ] && [ -f "$WORK/site/casestudies/$SLUG/index.html" ] \
      || stumble "the build passed but site/report.pdf or the case study's page is missing"
  else
    grep -q "warnings in strict mode" "$STEP_LOG" && ! grep -q "WARNING" "$STEP_LOG" \
      && stumble "casebook build --strict fails with 'Aborted with N warnings' but does not print the warnings"
    stumble "the case study validates, but CI's casebook build --strict fails (see above)"
  fi
fi

echo
echo "== newcomer trial: summary"
printf '   %s\n' "${RESULTS[@]}"
if [ ${#STUMBLES[@]} -gt 0 ]; then
  echo "   stumbling points seen:"
  printf '   - %s\n' "${STUMBLES[@]}"
fi
if [ "$clean" = 1 ] && [ "$previewed" != 0 ] && { [ "$built" = skip ] || [ "$built" = 0 ]; }; then
  echo "newcomer trial: ok (valid; preview: $previewed; CI build: $built)"
  exit 0
fi
echo "newcomer trial: FAILED (valid: $clean, preview: $previewed, CI build: $built)"
exit 1
