package macro

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// Creating a Lua state with its libraries costs more than most specs spend
// running Lua, so a Base keeps the states of closed contexts for reuse.
// Before a state is reused, every table a fresh state reaches from its
// globals (the libraries, package.loaded, their metatables, the string
// metatable) that no longer has its initial contents is replaced by a new
// copy of them, and the globals table by a new one, so nothing a spec did —
// globals, changed or added library functions, loaded modules — reaches the
// next spec. Library
// functions are Go functions, which Lua cannot change (setfenv refuses
// them). States whose last use failed are not reused.

// maxPooledStates bounds the states a Base keeps.
const maxPooledStates = 8

// luaPool holds reusable Lua states.
type luaPool struct {
	mu   sync.Mutex
	free []*luaEnv
}

func (p *luaPool) get() *luaEnv {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.free)
	if n == 0 {
		return nil
	}
	l := p.free[n-1]
	p.free = p.free[:n-1]
	return l
}

func (p *luaPool) put(l *luaEnv) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxPooledStates {
		p.free = append(p.free, l)
	}
}

// tableSnapshot is the initial content of a table of a fresh state; table
// values and the metatable are indexes into initialTables.current (-1 for
// none).
type tableSnapshot struct {
	keys, vals []lua.LValue
	refs       []int
	mt         int
}

// initialTables records the tables reachable from a fresh state's globals
// and string metatable (the globals are table 0).
type initialTables struct {
	snaps []tableSnapshot
	// current holds the table of the state that stands for each snapshot.
	current    []*lua.LTable
	stringMeta int
}

// snapshotState records the initial tables of a fresh state.
func snapshotState(L *lua.LState) *initialTables {
	it := &initialTables{}
	index := map[*lua.LTable]int{}
	it.add(L, L.G.Global, index)
	it.stringMeta = -1
	if mt, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		it.stringMeta = it.add(L, mt, index)
	}
	return it
}

// add records t and the tables it reaches; it returns t's index.
func (it *initialTables) add(L *lua.LState, t *lua.LTable, index map[*lua.LTable]int) int {
	if i, ok := index[t]; ok {
		return i
	}
	i := len(it.snaps)
	index[t] = i
	it.snaps = append(it.snaps, tableSnapshot{mt: -1})
	it.current = append(it.current, t)
	var s tableSnapshot
	// Next follows insertion order, which copies then keep for pairs.
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ref := -1
		if vt, ok := v.(*lua.LTable); ok {
			ref, v = it.add(L, vt, index), nil
		}
		s.keys, s.vals, s.refs = append(s.keys, k), append(s.vals, v), append(s.refs, ref)
	}
	s.mt = -1
	if mt, ok := L.GetMetatable(t).(*lua.LTable); ok {
		s.mt = it.add(L, mt, index)
	}
	it.snaps[i] = s
	return i
}

// value returns the initial value of entry j of snapshot s in the state.
func (it *initialTables) value(s *tableSnapshot, j int) lua.LValue {
	if s.refs[j] >= 0 {
		return it.current[s.refs[j]]
	}
	return s.vals[j]
}

// intact reports whether table i still has its initial contents.
func (it *initialTables) intact(L *lua.LState, i int) bool {
	s, t := &it.snaps[i], it.current[i]
	n := 0
	t.ForEach(func(lua.LValue, lua.LValue) { n++ })
	if n != len(s.keys) {
		return false
	}
	for j, k := range s.keys {
		if t.RawGet(k) != it.value(s, j) {
			return false
		}
	}
	var mt lua.LValue = lua.LNil
	if s.mt >= 0 {
		mt = it.current[s.mt]
	}
	return L.GetMetatable(t) == mt
}

// restore gives L a new globals table and new copies of the tables that
// changed or refer to a table that is replaced.
func (it *initialTables) restore(L *lua.LState) {
	dirty := make([]bool, len(it.snaps))
	dirty[0] = true
	for i := 1; i < len(it.snaps); i++ {
		dirty[i] = !it.intact(L, i)
	}
	for changed := true; changed; {
		changed = false
		for i := range it.snaps {
			if !dirty[i] && it.refersToDirty(i, dirty) {
				dirty[i], changed = true, true
			}
		}
	}
	for i, d := range dirty {
		if d {
			it.current[i] = L.CreateTable(0, len(it.snaps[i].keys))
		}
	}
	for i, d := range dirty {
		if d {
			it.fill(L, i)
		}
	}
	L.SetTop(0)
	L.G.Global = it.current[0]
	L.Env = L.G.Global
	if it.stringMeta >= 0 {
		L.SetMetatable(lua.LString(""), it.current[it.stringMeta])
	}
}

func (it *initialTables) refersToDirty(i int, dirty []bool) bool {
	s := &it.snaps[i]
	if s.mt >= 0 && dirty[s.mt] {
		return true
	}
	for _, r := range s.refs {
		if r >= 0 && dirty[r] {
			return true
		}
	}
	return false
}

// fill sets the initial contents of the (new) table i.
func (it *initialTables) fill(L *lua.LState, i int) {
	s, t := &it.snaps[i], it.current[i]
	for j, k := range s.keys {
		t.RawSet(k, it.value(s, j))
	}
	if s.mt >= 0 {
		L.SetMetatable(t, it.current[s.mt])
	}
}

// takeLuaEnv returns a pooled state, reset for c, or a new one.
func (c *Context) takeLuaEnv() *luaEnv {
	l := c.base.luaPool.get()
	if l == nil {
		return newLuaEnv(c)
	}
	l.c = c
	l.initial.restore(l.L)
	l.snapshotLibs()
	return l
}

// releaseLuaEnv returns c's state to the pool, unless its last use failed.
func (c *Context) releaseLuaEnv() {
	l := c.lua
	c.lua = nil
	if l.failed {
		l.L.Close()
		return
	}
	l.c = nil
	c.base.luaPool.put(l)
}
