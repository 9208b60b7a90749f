"""Records what the AWS CLI prints for the output fixtures of crates/awsquery-cli.

Run inside a virtualenv with the pinned awscli (and ruamel.yaml for YAML), from the repository:

    python .ci/awscli_format.py crates/awsquery-cli/tests/fixtures          # rewrite expected/
    python .ci/awscli_format.py crates/awsquery-cli/tests/fixtures --check  # exit 1 on a difference
    python .ci/awscli_format.py crates/awsquery-cli/tests/fixtures --check --cli  # and the `aws` command


`cases.json` lists the cases: a name, an input under `inputs/`, an `--output` format, an optional
`--query`, the operation's name, the terminal width (80 when stdout is no terminal), and for a
paginated response the pages (the input is then a list of pages), the result key and an
optional resume token. A case the AWS CLI fails on records `ERROR`. json, text and table go through awscli's own formatter classes, with
botocore's page iterator merging the pages. The AWS CLI v1 on PyPI has no YAML output, so yaml
and yaml-stream are written here as the AWS CLI v2 writes them: ruamel.yaml's safe dumper
(with its libyaml emitter), block style, encoding left to the stream, a bare scalar as a JSON
line, every page of yaml-stream as a one-item list.

With `--cli`, the json, text and table cases of the DescribeGlobalClusters inputs are also run
through the `aws` command itself (`aws neptune describe-global-clusters`, stdout a pipe) against a
stand-in for the service on 127.0.0.1 that answers with the input as awsQuery XML, paged by
`Marker`, and its stdout must be the recorded output too.
"""

import argparse
import concurrent.futures
import http.server
import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import urllib.parse
from xml.sax.saxutils import escape

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


# The element name of each list's items in the awsQuery XML of Neptune's DescribeGlobalClusters.
LIST_ITEMS = {'GlobalClusters': 'GlobalClusterMember', 'GlobalClusterMembers': 'GlobalClusterMember'}


def to_xml(name, value):
    if isinstance(value, dict):
        inner = ''.join(to_xml(k, v) for k, v in value.items())
    elif isinstance(value, list):
        inner = ''.join(to_xml(LIST_ITEMS.get(name, 'member'), v) for v in value)
    elif isinstance(value, bool):
        inner = 'true' if value else 'false'
    else:
        inner = escape(str(value))
    return '<%s>%s</%s>' % (name, inner, name)


def stand_in(pages):
    """A server answering DescribeGlobalClusters with `pages`, the page after each Marker."""
    markers = [None] + [page.get('Marker') for page in pages[:-1]]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get('Content-Length', 0))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            marker = form.get('Marker', [None])[0]
            page = pages[markers.index(marker)]
            body = (
                '<DescribeGlobalClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">'
                + to_xml('DescribeGlobalClustersResult', page)
                + '<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata>'
                + '</DescribeGlobalClustersResponse>'
            ).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'text/xml')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_cli(case, fixtures):
    data = json.loads((fixtures / 'inputs' / (case['input'] + '.json')).read_text('utf-8'))
    pages = data if 'result_key' in case else [data]
    server = stand_in(pages)
    try:
        command = [
            os.path.join(os.path.dirname(sys.executable), 'aws'), 'neptune', 'describe-global-clusters',
            '--endpoint-url', 'http://127.0.0.1:%d' % server.server_address[1],
            '--output', case['output'],
        ]
        if case.get('query') is not None:
            command += ['--query', case['query']]
        if case.get('resume_token'):
            # The token after the listing's first three items is the recorded one.
            command += ['--max-items', '3']
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update(AWS_ACCESS_KEY_ID='AKIDSTANDIN', AWS_SECRET_ACCESS_KEY='stand-in-secret',
                   AWS_DEFAULT_REGION='us-east-1', AWS_CONFIG_FILE=os.devnull,
                   AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_PAGER='')
        done = subprocess.run(command, env=env, capture_output=True, timeout=60)
    finally:
        server.shutdown()
    if done.returncode != 0:
        return 'ERROR\n'
    return done.stdout.decode('utf-8')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('fixtures', type=pathlib.Path)
    parser.add_argument('--check', action='store_true')
    parser.add_argument('--cli', action='store_true')
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
    cli_cases = []
    if options.cli:
        cli_cases = [
            case for case in cases
            if case['input'] in ('global_clusters', 'pages') and case['output'] in ('json', 'text', 'table')
        ]
        # Each run starts Python anew: a few at a time.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            printed = pool.map(lambda case: run_cli(case, options.fixtures), cli_cases)
            for case, text in zip(cli_cases, printed):
                path = expected_dir / (case['name'] + '.txt')
                if text.encode('utf-8') != path.read_bytes():
                    differ.append('%s (the aws command)' % path)
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
    if options.cli:
        print('%d of them printed the same by the aws command against a stand-in' % len(cli_cases))
    return 0


if __name__ == '__main__':
    sys.exit(main())
