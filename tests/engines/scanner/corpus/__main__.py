"""Command line: serve the corpus on 127.0.0.x for manual runs and benchmarks, or write its manifest.

    python -m tests.engines.scanner.corpus serve --run 0 [--seed 7] [--manifest FILE] [--http-port N]
    python -m tests.engines.scanner.corpus manifest FILE [--seed 7]

While serving, type a run number and Enter on stdin to switch every site to that run; Ctrl-C stops.
"""

from __future__ import annotations

import argparse
import sys
import threading

from .corpus import build_corpus
from .server import CorpusServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.engines.scanner.corpus", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve every site until interrupted")
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--sites", type=int, default=None, help="only the first N sites")
    serve.add_argument("--run", type=int, default=0)
    serve.add_argument("--http-port", type=int, default=0, help="0 = any free port (same on every host)")
    serve.add_argument("--https-port", type=int, default=0)
    serve.add_argument("--hang-seconds", type=float, default=30.0, help="how long a 'hang' site holds a connection")
    serve.add_argument("--manifest", default=None, help="also write the manifest (with served URLs) here")
    manifest = sub.add_parser("manifest", help="write the labels as JSON")
    manifest.add_argument("path")
    manifest.add_argument("--seed", type=int, default=7)
    manifest.add_argument("--sites", type=int, default=None)
    return parser


def _serve(args: argparse.Namespace) -> int:
    corpus = build_corpus(args.seed, args.sites)
    server = CorpusServer(corpus, http_port=args.http_port, https_port=args.https_port, hang_seconds=args.hang_seconds)
    server.start(args.run)
    try:
        urls = {site.site_id: server.url_for(site.site_id) for site in corpus.sites}
        if args.manifest:
            corpus.write_manifest(args.manifest, urls)
        for site in corpus.sites:
            sys.stdout.write(f"{urls[site.site_id]}\t{site.site_id}\n")
        sys.stdout.write(
            f"# serving run {args.run} of seed {args.seed}; HTTPS on port {server.https_port} "
            f"(trust {server.ca_file}); type a run number + Enter to switch, Ctrl-C to stop\n"
        )
        sys.stdout.flush()
        stop = threading.Event()
        for line in sys.stdin:
            if line.strip().isdigit():
                server.set_run(int(line))
                sys.stdout.write(f"# now serving run {int(line)}\n")
                sys.stdout.flush()
        stop.wait()  # stdin closed: keep serving until interrupted
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    build_corpus(args.seed, args.sites).write_manifest(args.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
