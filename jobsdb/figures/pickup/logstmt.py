import re,sys
# usage: logstmt.py LOGFILE LINE name [k=v ...]  -> psql input: PREPARE + EXPLAIN (ANALYZE, BUFFERS) EXECUTE
log=open(sys.argv[1]).read().split('\n')
i=int(sys.argv[2])-1; name=sys.argv[3]
over=dict(a.split('=',1) for a in sys.argv[4:])
first=log[i]; stmt=[first.split(': ',2)[2].split(': ',1)[1]]
j=i+1
while not re.search(r'^\d{4}-\d\d-\d\d ', log[j]): stmt.append(log[j]); j+=1
det=log[j]; assert 'DETAIL:  parameters:' in det, det
params={}
for m in re.finditer(r"\$(\d+) = '((?:[^']|'')*)'", det): params[int(m.group(1))]=m.group(2)
for k,v in over.items(): params[int(k)]=v
sql='\n'.join(stmt)
args=', '.join(("'"+params[n]+"'") if not params[n].startswith('=') else params[n][1:] for n in sorted(params))
print(f"\\echo ===== {name}\nDEALLOCATE ALL;\nPREPARE q AS {sql};\nEXPLAIN (ANALYZE, BUFFERS) EXECUTE q({args});")
