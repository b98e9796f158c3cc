"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in the API fuzz: works around a CPython 3.11 bug, nothing else.

Hypothesis names lambdas in strategy reprs by parsing their source with ast.parse; on Python 3.11 (Debian 12's)
that parse, made deep in the stack of a recursive schema's strategy, can raise "SystemError: AST constructor
recursion depth mismatch" (CPython gh-106905), which schemathesis reports as a Runtime Error of the operation
(seen on POST /api/v1/applications). The description is only a label: when the parse fails this way, use the
label Hypothesis itself uses for a lambda whose source it cannot find.
"""

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _describe_or_unknown(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _describe_or_unknown
