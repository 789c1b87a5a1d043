#!/usr/bin/python3
"""Writes a Common Paper markdown agreement (nested markdown lists, <span> markup) as Markdown whose
clause numbers are text ("1.", "1.1", "(a)", "(i)"), as such contracts print when typeset, for pandoc to
turn into a Word file. Usage: number_clauses.py AGREEMENT.md > OUT.md"""
import re, sys
def roman(n):
    vals = [(10,'x'),(9,'ix'),(5,'v'),(4,'iv'),(1,'i')]
    s=''
    for v,r in vals:
        while n>=v: s+=r; n-=v
    return s
out=[]; counters=[0,0,0,0,0]
for line in open(sys.argv[1], encoding='utf-8'):
    line=line.rstrip('\n')
    line=re.sub(r'<span[^>]*>','',line).replace('</span>','')
    m=re.match(r'^( *)(\d+|[a-z]{1,4})\.\s+(.*)$', line)
    if not m:
        out.append(line); continue
    level=len(m.group(1))//4
    counters[level]+=1
    for l in range(level+1,5): counters[l]=0
    text=m.group(3)
    if level==0:
        num=f"{counters[0]}\\."
        out.append(f"\n**{num} {text}**\n" if len(text) <= 80 and '**' not in text else f"\n{num} {text}\n"); continue
    if level==1: num=f"{counters[0]}.{counters[1]}"
    elif level==2: num=f"\\({chr(96+counters[2])})"
    else: num=f"\\({roman(counters[level])})"
    out.append(f"\n{num} {text}\n")
print('\n'.join(out))
