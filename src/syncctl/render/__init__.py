"""Renderers: each output format turns a result value into text.

Each kind of result has its own typed registry, imported only by the commands that need it::

    render.findings.FINDINGS   Registry[Report]        validate (and graph, for an invalid file)
    render.plan.PLAN           Registry[Plan]          plan (and apply, before asking)
    render.apply.APPLY         Registry[ApplyResult]   apply
    render.imported.IMPORT     Registry[ImportResult]  import
    render.graph.GRAPH         Registry[JobGraph]      graph
"""
