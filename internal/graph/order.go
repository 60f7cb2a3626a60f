package graph

import (
	"cmp"
	"slices"
)

// Order is the build order of a graph.
type Order struct {
	// SCC is the strongly connected component of each node; components are
	// numbered dependencies first.
	SCC []int
	// Wave is each node's wave: one more than the latest wave of the build
	// dependencies outside its cycle of any member of the cycle (the node
	// alone when it is in none); 0 without any.
	Wave []int
	// Cycles lists the strongly connected components with more than one
	// node, each sorted, the largest first.
	Cycles [][]int
	// Waves lists the nodes of each wave, sorted. A cycle is built in one
	// wave: its members cannot all come after each other.
	Waves [][]int
}

// Order computes the cycles and waves (topological levels of the graph of
// strongly connected components).
func (g *Graph) Order() Order {
	scc, count := g.tarjan()
	o := Order{SCC: scc, Wave: make([]int, len(g.Nodes))}
	members := make([][]int, count)
	for v, c := range scc {
		members[c] = append(members[c], v)
	}
	sccWave := make([]int, count)
	for c, vs := range members { // dependencies come first
		for _, v := range vs {
			for _, w := range g.Nodes[v].DependsOn {
				if scc[w] != c {
					sccWave[c] = max(sccWave[c], sccWave[scc[w]]+1)
				}
			}
		}
		if len(vs) > 1 {
			o.Cycles = append(o.Cycles, vs)
		}
	}
	for v, c := range scc {
		o.Wave[v] = sccWave[c]
		for len(o.Waves) <= o.Wave[v] {
			o.Waves = append(o.Waves, nil)
		}
		o.Waves[o.Wave[v]] = append(o.Waves[o.Wave[v]], v)
	}
	slices.SortStableFunc(o.Cycles, func(a, b []int) int { return cmp.Compare(len(b), len(a)) })
	return o
}

// tarjan numbers the strongly connected components of the graph with
// Tarjan's algorithm, iteratively (an explicit stack of frames instead of
// recursion); a component is numbered after every component it reaches.
func (g *Graph) tarjan() (scc []int, count int) {
	n := len(g.Nodes)
	index := make([]int, n) // order of discovery, 1-based; 0: unvisited
	low := make([]int, n)
	onStack := make([]bool, n)
	scc = make([]int, n)
	var stack []int
	type frame struct{ v, next int }
	var frames []frame
	counter := 0
	visit := func(v int) {
		counter++
		index[v], low[v] = counter, counter
		stack = append(stack, v)
		onStack[v] = true
		frames = append(frames, frame{v: v})
	}
	for root := range n {
		if index[root] != 0 {
			continue
		}
		visit(root)
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			v := f.v
			if deps := g.Nodes[v].DependsOn; f.next < len(deps) {
				w := deps[f.next]
				f.next++
				switch {
				case index[w] == 0:
					visit(w)
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				u := frames[len(frames)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc[w] = count
				if w == v {
					break
				}
			}
			count++
		}
	}
	return scc, count
}

// Dependents returns the components that must be rebuilt when any of names
// changes: names and every component that build-requires one of them,
// directly or not (the reverse transitive closure), sorted.
func (g *Graph) Dependents(names []string) ([]string, error) {
	return g.closure(names, g.reverse())
}

// WithDependencies returns names and every component they build-require,
// directly or not, sorted.
func (g *Graph) WithDependencies(names []string) ([]string, error) {
	forward := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		forward[i] = n.DependsOn
	}
	return g.closure(names, forward)
}

// reverse is the adjacency of the reversed graph.
func (g *Graph) reverse() [][]int {
	rev := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		for _, d := range n.DependsOn {
			rev[d] = append(rev[d], i)
		}
	}
	return rev
}

// closure returns the nodes reachable from names along adj, as sorted names.
func (g *Graph) closure(names []string, adj [][]int) ([]string, error) {
	start, err := g.nodesOf(names)
	if err != nil {
		return nil, err
	}
	seen := make([]bool, len(g.Nodes))
	queue := start
	for _, v := range start {
		seen[v] = true
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range adj[v] {
			if !seen[w] {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	var out []int
	for v, ok := range seen {
		if ok {
			out = append(out, v)
		}
	}
	return g.Names(out), nil
}

// Subgraph is the graph of the named components alone (their edges to
// other components dropped).
func (g *Graph) Subgraph(names []string) (*Graph, error) {
	nodes, err := g.nodesOf(names)
	if err != nil {
		return nil, err
	}
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	sub := &Graph{Nodes: make([]Node, len(nodes)), index: make(map[string]int, len(nodes))}
	newIndex := make(map[int]int, len(nodes))
	for i, v := range nodes {
		newIndex[v] = i
		sub.index[g.Nodes[v].Component] = i
	}
	for i, v := range nodes {
		n := g.Nodes[v]
		n.DependsOn = nil
		for _, d := range g.Nodes[v].DependsOn {
			if j, ok := newIndex[d]; ok {
				n.DependsOn = append(n.DependsOn, j)
			}
		}
		sub.Nodes[i] = n
	}
	return sub, nil
}
