"""Bench peer: the same Logical_Switch_Port inserts through python3-ovsdbapp (Debian).

Usage: python3 ovsdbapp_peer.py REMOTE SWITCH_PREFIX N
Prints one JSON line: {"connect_ms": .., "one_txn_ms": .., "many_txn_ms": ..}.
"""
import json
import sys
import time

from ovsdbapp.backend.ovs_idl import connection
from ovsdbapp.schema.ovn_northbound import impl_idl

remote, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

t0 = time.perf_counter()
idl = connection.OvsdbIdl.from_server(remote, "OVN_Northbound")
conn = connection.Connection(idl=idl, timeout=120)
api = impl_idl.OvnNbApiIdlImpl(conn)
t1 = time.perf_counter()

with api.transaction(check_error=True) as txn:
    txn.add(api.ls_add(prefix + "-one"))
    for i in range(n):
        txn.add(api.lsp_add(prefix + "-one", "%s-one-p%d" % (prefix, i)))
t2 = time.perf_counter()

api.ls_add(prefix + "-many").execute(check_error=True)
t3 = time.perf_counter()
for i in range(n):
    api.lsp_add(prefix + "-many", "%s-many-p%d" % (prefix, i)).execute(check_error=True)
t4 = time.perf_counter()

print(json.dumps({"connect_ms": (t1 - t0) * 1e3, "one_txn_ms": (t2 - t1) * 1e3, "many_txn_ms": (t4 - t3) * 1e3}))
conn.stop()
