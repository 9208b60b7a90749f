"""Records what the AWS CLI prints for the output fixtures of crates/awsquery-cli.

Run inside a virtualenv with the pinned awscli (and ruamel.yaml for YAML), from the repository:

    python .ci/awscli_format.py crates/awsquery-cli/tests/fixtures          # rewrite expected/
    python .ci/awscli_format.py crates/awsquery-cli/tests/fixtures --check  # exit 1 on a difference

`cases.json` lists the cases: a name, an input under `inputs/`, an `--output` format, an optional
`--query`, the operation's name, the terminal width (80 when stdout is no terminal), and for a
paginated response the pages (the input is then a list of pages), the result key and an
optional resume token. A case the AWS CLI fails on records `ERROR`. json, text and table go through awscli's own formatter classes, with
botocore's page iterator merging the pages. The AWS CLI v1 on PyPI has no YAML output, so yaml
and yaml-stream are written here as the AWS CLI v2 writes them: ruamel.yaml's safe dumper
(with its libyaml emitter), block style, encoding left to the stream, a bare scalar as a JSON
line, every page of yaml-stream as a one-item list.
"""

import argparse
import io
import json
import pathlib
import sys

import awscli.table
import jmespath
from awscli.formatter import get_formatter
from botocore.paginate import PageIterator


class RecordedPages(PageIterator):
    """Pages given in advance, iterated as botocore iterates a service's."""

    def __init__(self, pages, result_key, resume_token):
        self._pages = pages
        self._result_keys = [jmespath.compile(result_key)]
        self._resume_token = resume_token
        self._non_aggregate_part = {}

    def __iter__(self):
        return iter(json.loads(json.dumps(self._pages)))


def yaml_dump(value, stream):
    from ruamel.yaml import YAML

    if value is None or isinstance(value, (bool, int, float, str)):
        json.dump(value, stream, ensure_ascii=False)
        stream.write('\n')
        return
    yaml = YAML(typ='safe')
    yaml.encoding = None
    yaml.representer.default_flow_style = False
    yaml.dump(value, stream)


def render(case, fixtures):
    data = json.loads((fixtures / 'inputs' / (case['input'] + '.json')).read_text('utf-8'))
    query = jmespath.compile(case['query']) if case.get('query') is not None else None
    args = argparse.Namespace(query=query, color='off')
    output = case['output']
    stream = io.StringIO()
    paged = 'result_key' in case

    def response():
        if paged:
            return RecordedPages(data, case['result_key'], case.get('resume_token'))
        return json.loads(json.dumps(data))

    if output in ('json', 'text', 'table'):
        width = case.get('width', 80)
        awscli.table.determine_terminal_width = lambda default_width=80: width
        try:
            get_formatter(output, args)(case['operation'], response(), stream)
        except (ValueError, AttributeError):
            # A table with rows of different lengths, a text list of objects and scalars
            # mixed: the AWS CLI fails.
            return 'ERROR\n'
    elif output == 'yaml':
        value = response()
        if paged:
            value = value.build_full_result()
        if query is not None:
            value = query.search(value)
        if value != {}:
            yaml_dump(value, stream)
    elif output == 'yaml-stream':
        pages = list(response()) if paged else [response()]
        for page in pages:
            if query is not None:
                page = query.search(page)
            if paged or page != {}:
                yaml_dump([page], stream)
    else:
        raise ValueError('unknown output ' + output)
    return stream.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('fixtures', type=pathlib.Path)
    parser.add_argument('--check', action='store_true')
    options = parser.parse_args()
    cases = json.loads((options.fixtures / 'cases.json').read_text('utf-8'))
    expected_dir = options.fixtures / 'expected'
    expected_dir.mkdir(exist_ok=True)
    differ = []
    for case in cases:
        text = render(case, options.fixtures)
        path = expected_dir / (case['name'] + '.txt')
        if options.check:
            if not path.exists() or path.read_bytes() != text.encode('utf-8'):
                differ.append(path)
        else:
            path.write_bytes(text.encode('utf-8'))
    known = {case['name'] + '.txt' for case in cases}
    stray = [p for p in expected_dir.iterdir() if p.name not in known]
    if not options.check:
        for path in stray:
            path.unlink()
        stray = []
    for path in differ:
        print('differs from what the AWS CLI prints: %s' % path)
    for path in stray:
        print('no case records this file: %s' % path)
    if differ or stray:
        return 1
    print('%d cases recorded%s' % (len(cases), ', all as committed' if options.check else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
