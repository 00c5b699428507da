#!/usr/bin/env python3
"""One-off (re-runnable) move of the app-facing types into each package's root namespace (issue 19, item 7).

Rewrites the namespace of the moved types' files, the `using` lines of every C# file and Markdown snippet that
referred to the old namespaces, fully qualified references (XML docs, PublicAPI files), and is idempotent, so it can
be run again on a branch that was written against the old names. Usage: eng/move-namespaces.py [root]
"""
import os, re, sys

MOVES = {
    "Webhooks.Core": {
        "Webhooks.Core.Events": ["WebhookEventAttribute"],
        "Webhooks.Core.Subscriptions": ["WebhookSubscription", "WebhookSubscriptionSecret"],
        "Webhooks.Core.Signatures": ["StandardWebhook", "StandardWebhookHeaders", "StandardWebhookVerifier",
                                     "WebhookVerificationResult", "WebhookVerificationStatus", "HmacSha256"],
    },
    "Webhooks.Sender": {
        "Webhooks.Sender.Publishing": ["IWebhookPublisher", "WebhookPublishOptions"],
        "Webhooks.Sender.Subscriptions": ["IWebhookSubscriptions", "WebhookSubscriptionCreateRequest",
                                          "WebhookSubscriptionUpdateRequest"],
        "Webhooks.Sender.Delivery": ["IWebhookDeliveries"],
        "Webhooks.Sender.Storage": ["WebhookAttempt", "WebhookAttemptError", "WebhookAttemptQuery", "WebhookDelivery",
                                    "WebhookDeliveryQuery", "WebhookDeliveryStatus", "WebhookMessage",
                                    "WebhookMessageQuery", "WebhookPage", "WebhookQuery", "WebhookSubscriptionQuery"],
        "Webhooks.Sender.Health": ["WebhookCircuitOpenedArguments", "WebhookEndpointHealthOptions",
                                   "WebhookSubscriptionDisabledArguments", "WebhookSubscriptionDisabledReason"],
        "Webhooks.Sender.Security": ["WebhookSsrfOptions"],
    },
}

root = sys.argv[1] if len(sys.argv) > 1 else "."
skip_dirs = {".git", "bin", "obj", "node_modules", ".ci/out"}

def files(exts):
    for d, dirs, fs in os.walk(root):
        dirs[:] = [x for x in dirs if x not in skip_dirs]
        for f in fs:
            if f.endswith(exts):
                yield os.path.join(d, f)

# 1. The moved types' own files: namespace line.
moved_files = {}
for target, sources in MOVES.items():
    for ns, types in sources.items():
        for t in types:
            moved_files[t] = (ns, target)

src_files = list(files((".cs",)))
for path in src_files:
    if "/src/" not in path.replace(os.sep, "/"):
        continue
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^namespace ([\w.]+);", text, re.M)
    if not m:
        continue
    ns = m.group(1)
    decl = re.findall(r"^(?:public|internal) (?:(?:sealed|static|abstract|readonly|partial|record|ref)\s+)*(?:class|interface|record|struct|enum)\s+(\w+)", text, re.M)
    if decl and decl[0] in moved_files and moved_files[decl[0]][0] == ns:
        text = text.replace(f"namespace {ns};", f"namespace {moved_files[decl[0]][1]};", 1)
        open(path, "w", encoding="utf-8").write(text)

# 2. Which old namespaces are now empty (no type left in them anywhere under src/).
def namespaces_in_src():
    found = set()
    for path in files((".cs",)):
        p = path.replace(os.sep, "/")
        if "/src/" not in p:
            continue
        for m in re.finditer(r"^namespace ([\w.]+);", open(path, encoding="utf-8").read(), re.M):
            found.add(m.group(1))
    return found

live = namespaces_in_src()
old_to_target = {ns: target for target, sources in MOVES.items() for ns in sources}

# 3. using lines (C# files and Markdown snippets) and fully qualified names everywhere.
fqn = []
for target, sources in MOVES.items():
    for ns, types in sources.items():
        for t in types:
            fqn.append((re.compile(r"(?<![\w.])(global::)?" + re.escape(ns) + r"\." + t + r"\b"), r"\g<1>" + target + "." + t))

# Partly qualified names ("Delivery.IWebhookDeliveries", "Core.Events.WebhookEventAttribute"), attributes also
# without their suffix ("Webhooks.Core.Events.WebhookEvent").
for target, sources in MOVES.items():
    for ns, types in sources.items():
        parts, tparts = ns.split("."), target.split(".")
        for i in range(0, len(parts)):
            suffix = ".".join(parts[i:])
            kept = ".".join(tparts[i:]) if i < len(tparts) else ""
            for t in types:
                names = [t] + ([t[: -len("Attribute")]] if t.endswith("Attribute") else [])
                for n in names:
                    fqn.append((re.compile(r"(?<![\w.])(global::)?" + re.escape(suffix) + r"\." + n + r"\b"),
                                r"\g<1>" + (kept + "." if kept else "") + n))

for path in files((".cs", ".md", ".txt", ".cshtml", ".razor")):
    text = open(path, encoding="utf-8").read()
    orig = text
    for rx, rep in fqn:
        text = rx.sub(rep, text)
    lines = text.split("\n")
    out = []
    have = {l.strip() for l in lines}
    for line in lines:
        m = re.match(r"^(\s*)(global )?using ([\w.]+);\s*$", line)
        if m and m.group(3) in old_to_target:
            ns, target = m.group(3), old_to_target[m.group(3)]
            new_line = f"{m.group(1)}{m.group(2) or ''}using {target};"
            if ns not in live:
                if new_line.strip() not in {o.strip() for o in out} and new_line.strip() not in have - {line.strip()}:
                    out.append(new_line)
                continue
            out.append(line)
            if new_line.strip() not in have and new_line.strip() not in {o.strip() for o in out}:
                out.append(new_line)
            continue
        out.append(line)
    text = "\n".join(out)
    if text != orig:
        open(path, "w", encoding="utf-8").write(text)
print("empty namespaces now:", sorted(ns for ns in old_to_target if ns not in live))
