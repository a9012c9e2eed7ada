"""Command line: ``python -m wardgaps set-published``, which publishes (or, with ``--off``,
unpublishes) one of the council's local items: a local indicator by its id, its places of one
kind (or all), or an area set. Only published items reach the public extract (``publish --with-local``); the
officer view marks the others "not published" wherever they are shown."""

from __future__ import annotations

import argparse
import sys


def cmd_set_published(args: argparse.Namespace) -> int:
    from wardgaps.local import LocalError, set_published
    from wardgaps.local_areas import set_areas_published
    from wardgaps.local_places import set_places_published

    chosen = [x for x in (args.id, args.places, args.all_places or None, args.areas) if x is not None]
    if len(chosen) != 1:
        print(
            "Say which item to publish: a local indicator's id, --places KIND, --all-places or --areas SET.",
            file=sys.stderr,
        )
        return 2
    state = "not published" if args.off else "published"
    try:
        if args.id is not None:
            set_published(args.id, not args.off)
            done = f"Local indicator {args.id} is now {state}"
        elif args.areas is not None:
            done = f"The area set '{set_areas_published(args.areas, not args.off)}' is now {state}"
        else:
            n = set_places_published(args.places, not args.off)
            done = f"{n} place{'s' if n != 1 else ''}" + (f" of the kind {args.places}" if args.places else "")
            done += f" {'are' if n != 1 else 'is'} now {state}"
    except LocalError as e:
        print(f"{e} Nothing was changed.", file=sys.stderr)
        return 1
    then = "" if args.off else "; it reaches the public extract the next time it is made with publish --with-local"
    print(f"{done}{then}.")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``set-published`` command."""
    sp = sub.add_parser(
        "set-published",
        help="publish a local item (indicator id, places or area set) for publish --with-local; --off undoes it",
    )
    sp.add_argument("id", nargs="?", help="the local indicator's id (see list-local)")
    sp.add_argument("--places", metavar="KIND", help="the places of this kind (see list-places)")
    sp.add_argument("--all-places", action="store_true", help="every place")
    sp.add_argument("--areas", metavar="SET", help="the area set of this name (see list-areas)")
    sp.add_argument("--off", action="store_true", help="unpublish instead: kept out of the public extract")
    sp.set_defaults(func=cmd_set_published)
