#!/usr/bin/env python3
"""Lists C++ functions longer than a limit (default 80 lines) and exits 1 when there is one.

    scripts/long_functions.py [--max 80] [--exclude DIR ...] [PATH ...]    (default PATH: src)

A function's length is counted from the line where its declarator starts (the return type's line for a
definition written on several lines) to its closing brace, both included: what a reader scrolls through.
Lambdas and local classes count toward the function that holds them; a class's member functions defined in
the class are counted one by one.

It is a careful brace counter, not a parser: comments, string and character literals (raw strings too) are
blanked first, then every '{' is classified by the text before it (since the last ';', '{' or '}'):
namespace, class/struct/union/enum and extern "C" open scopes; a ')' (possibly followed by const, override,
noexcept, a trailing return type or a constructor's initializer list) outside any function opens a
function; anything else inside a function is a block of that function. Good enough for this code base's
style (clang-format, Google). Checked against clang-tidy's readability-function-size (LineThreshold) on src/:
the same functions, each 2 lines longer here for a one-line declarator (clang-tidy counts the body only).
"""
import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".cpp", ".hpp", ".cu", ".cuh", ".h", ".cc")


def blank_literals(text):
    """Comments, strings and character literals become spaces; newlines stay, so line numbers hold."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c == "/" and nxt == "*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == "R" and nxt == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            paren = text.find("(", i + 2)
            delim = text[i + 2:paren]
            end = text.find(")" + delim + '"', paren)
            end = n if end < 0 else end + len(delim) + 2
            out.append('R"' + re.sub(r"[^\n]", " ", text[i + 2:end - 1]) + '"')
            i = end
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):  # 1'000 is a digit separator
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j]) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


SCOPE = re.compile(r"(^|\s)(namespace|class|struct|union|enum)(\s|$)|extern\s*\"\s*\"\s*$")
CONTROL = re.compile(r"\b(if|for|while|switch|catch|do|else|try)\b")
NAME = re.compile(r"([A-Za-z_~][A-Za-z0-9_:<>~]*(?:operator\s*[^\s(]+)?)\s*\(")


def function_name(head):
    """The declarator's name: the last identifier followed by '(' at parenthesis depth 0."""
    depth, name = 0, ""
    for m in re.finditer(r"[()]|[A-Za-z_~][A-Za-z0-9_:~]*(?:<[^()]*?>)?(?=\s*\()", head):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0 and name == "":
            name = token
        elif depth == 0 and token not in ("noexcept", "decltype", "alignas", "requires"):
            name = name or token
    return name or "?"


def long_functions(path, limit):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = blank_literals(f.read())
    found = []
    stack = []  # one entry per open brace: ("scope" | "function" | "block" | "init", start line, name)
    head_start = 0  # where the text before the next brace begins
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        if c not in "{};":
            continue
        head = text[head_start:i]
        head_start = i + 1
        if c == ";":
            continue
        if c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "function" and line - start + 1 > limit:
                    found.append((start, name, line - start + 1))
            continue
        in_function = any(kind == "function" for kind, _, _ in stack)
        stripped = " ".join(head.split())
        if in_function:
            stack.append(("block", line, ""))
        elif SCOPE.search(stripped) and "(" not in stripped.split("=")[0]:
            stack.append(("scope", line, ""))
        elif ")" in stripped and not stripped.endswith("=") and not CONTROL.match(stripped):
            first = len(head) - len(head.lstrip())
            start = line - head[first:].count("\n")
            stack.append(("function", start, function_name(stripped)))
        elif re.fullmatch(r"[A-Z][A-Z0-9_]*", stripped):  # a macro that opens a function (an entry point)
            stack.append(("function", line, stripped))
        else:
            stack.append(("init", line, ""))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=["src"])
    parser.add_argument("--max", type=int, default=80, help="longest allowed function, in lines")
    parser.add_argument("--exclude", action="append", default=[], help="a folder to skip (repeatable)")
    args = parser.parse_args()
    excluded = [os.path.normpath(e) for e in args.exclude]
    files = []
    for root in args.paths:
        if os.path.isfile(root):
            files.append(root)
            continue
        for folder, _, names in os.walk(root):
            files += [os.path.join(folder, n) for n in names if n.endswith(SOURCE_SUFFIXES)]
    count = 0
    for path in sorted(files):
        norm = os.path.normpath(path)
        if any(norm == e or norm.startswith(e + os.sep) for e in excluded):
            continue
        for start, name, length in long_functions(path, args.max):
            print(f"{path}:{start}: {name}: {length} lines (limit {args.max})")
            count += 1
    print(f"{count} function(s) over {args.max} lines", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
