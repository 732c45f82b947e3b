package optimizer

import "math"

// NumParams is the number of FSRS-6 parameters.
const NumParams = 21

// DefaultWeights are the FSRS-6 default parameters (the same values as
// opsdeck/deck/fsrs.DefaultWeights, kept here so this package builds on its
// own).
var DefaultWeights = [NumParams]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
	0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
	0.0912, 0.0658, 0.1542,
}

// Bounds of the memory state, as in fsrs-rs 6.
const (
	sMin = 0.001
	sMax = 36500.0
	dMin = 1.0
	dMax = 10.0
)

var ln09 = math.Log(0.9)

// model holds a parameter vector and the quantities every step reuses.
type model struct {
	w       [NumParams]float64
	decay   float64    // -w20
	factor  float64    // 0.9^(1/decay) - 1
	dFactor float64    // d factor / d w20
	expW8   float64    // e^w8
	capDiv  float64    // e^(w17 w18): a lapse keeps at least S / capDiv
	d04     float64    // D0(4) = w4 - e^(3 w5) + 1, not clamped
	e3w5    float64    // e^(3 w5)
	expInit [5]float64 // e^(w5 (G-1)), by rating G
	sinc    [5]float64 // e^(w17 (G-3+w18)), by rating G
}

func newModel(w *[NumParams]float64) *model {
	m := &model{w: *w}
	m.decay = -w[20]
	m.factor = math.Exp(ln09/m.decay) - 1
	// factor = e^(-ln0.9 / w20) - 1, so d/dw20 = e^(-ln0.9/w20) * ln0.9 / w20^2.
	m.dFactor = (m.factor + 1) * ln09 / (w[20] * w[20])
	m.expW8 = math.Exp(w[8])
	m.capDiv = math.Exp(w[17] * w[18])
	m.e3w5 = math.Exp(3 * w[5])
	m.d04 = w[4] - m.e3w5 + 1
	for g := 1; g <= 4; g++ {
		m.expInit[g] = math.Exp(w[5] * float64(g-1))
		m.sinc[g] = math.Exp(w[17] * (float64(g) - 3 + w[18]))
	}
	return m
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

// retrievability is the forgetting curve R(t, S).
func (m *model) retrievability(t, s float64) float64 {
	return math.Exp(m.decay * math.Log(1+m.factor*t/s))
}

// init returns the state after a card's first review.
func (m *model) init(g int) (s, d float64) {
	return clamp(m.w[g-1], sMin, sMax), clamp(m.w[4]-m.expInit[g]+1, dMin, dMax)
}

// step returns the state after a review graded g, t days after the last one.
func (m *model) step(s, d, t float64, g int) (float64, float64) {
	w := &m.w
	var ns float64
	if t == 0 {
		sinc := m.sinc[g] * math.Exp(-w[19]*math.Log(s))
		if g >= 2 && sinc < 1 {
			sinc = 1
		}
		ns = s * sinc
	} else {
		r := math.Exp(m.decay * math.Log(1+m.factor*t/s))
		if g == 1 {
			ns = w[11] * math.Exp(-w[12]*math.Log(d)) * (math.Exp(w[13]*math.Log(s+1)) - 1) * math.Exp(w[14]*(1-r))
			if c := s / m.capDiv; c < ns {
				ns = c
			}
		} else {
			k := m.expW8 * (11 - d) * math.Exp(-w[9]*math.Log(s)) * (math.Exp(w[10]*(1-r)) - 1)
			switch g {
			case 2:
				k *= w[15]
			case 4:
				k *= w[16]
			}
			ns = s * (k + 1)
		}
	}
	nd := d + (10-d)*(-w[6]*float64(g-3))/9
	nd = w[7]*(m.d04-nd) + nd
	return clamp(ns, sMin, sMax), clamp(nd, dMin, dMax)
}

// predict returns the predicted probability of recall of the item's last
// review.
func (m *model) predict(reviews []ItemReview) float64 {
	s, d := m.init(int(reviews[0].Rating))
	n := len(reviews) - 1
	for _, r := range reviews[1:n] {
		s, d = m.step(s, d, float64(r.DeltaT), int(r.Rating))
	}
	return m.retrievability(float64(reviews[n].DeltaT), s)
}

// gstate is a memory state with its derivatives: ds[k] = dS/dw[k], and
// dd[j] = dD/dw[4+j] (D depends on w4..w7 only).
type gstate struct {
	s, d float64
	ds   [NumParams]float64
	dd   [4]float64
}

func (m *model) initGrad(st *gstate, g int) {
	*st = gstate{}
	st.s = m.w[g-1]
	if !(st.s > sMin && st.s < sMax) {
		st.s = clamp(st.s, sMin, sMax)
	} else {
		st.ds[g-1] = 1
	}
	st.d = m.w[4] - m.expInit[g] + 1
	if !(st.d > dMin && st.d < dMax) {
		st.d = clamp(st.d, dMin, dMax)
	} else {
		st.dd[0] = 1
		st.dd[1] = -float64(g-1) * m.expInit[g]
	}
}

// stepGrad advances st by a review graded g, t days after the last one,
// carrying the derivatives along (forward-mode differentiation). A clamp
// whose bound is reached zeroes the derivative, as in fsrs-rs 6.5's
// analytic gradients.
func (m *model) stepGrad(st *gstate, t float64, g int) {
	w := &m.w
	s, d := st.s, st.d

	var ns, nsS, nsD float64 // new S and its partials in S and D
	var pk [6]int            // sparse partials of new S in the parameters
	var pv [6]float64
	np := 0
	add := func(k int, v float64) { pk[np], pv[np] = k, v; np++ }

	if t == 0 {
		ls := math.Log(s)
		sinc := m.sinc[g] * math.Exp(-w[19]*ls)
		if g >= 2 && sinc < 1 {
			ns, nsS = s, 1
		} else {
			ns = s * sinc
			nsS = sinc * (1 - w[19])
			add(17, ns*(float64(g)-3+w[18]))
			add(18, ns*w[17])
			add(19, -ns*ls)
		}
	} else {
		u := 1 + m.factor*t/s
		lu := math.Log(u)
		r := math.Exp(m.decay * lu)
		rS := m.decay * r / u * (-m.factor * t / (s * s))
		rW20 := r * (-lu + m.decay/u*(t/s)*m.dFactor)
		if g == 1 {
			ld := math.Log(d)
			l1 := math.Log(s + 1)
			pd := math.Exp(-w[12] * ld)
			ps1 := math.Exp(w[13] * l1)
			e := math.Exp(w[14] * (1 - r))
			abe := w[11] * pd * e
			v := abe * (ps1 - 1)
			if c := s / m.capDiv; c < v {
				ns = c
				nsS = 1 / m.capDiv
				add(17, -c*w[18])
				add(18, -c*w[17])
			} else {
				ns = v
				vR := -v * w[14]
				nsS = abe*w[13]*ps1/(s+1) + vR*rS
				nsD = -v * w[12] / d
				add(11, pd*(ps1-1)*e)
				add(12, -v*ld)
				add(13, abe*ps1*l1)
				add(14, v*(1-r))
				add(20, vR*rW20)
			}
		} else {
			mult := 1.0
			switch g {
			case 2:
				mult = w[15]
			case 4:
				mult = w[16]
			}
			ls := math.Log(s)
			ps := math.Exp(-w[9] * ls)
			ex := math.Exp(w[10] * (1 - r))
			base := m.expW8 * (11 - d) * ps
			k := base * (ex - 1) * mult
			ns = s * (k + 1)
			kR := -base * ex * w[10] * mult
			nsS = k + 1 - w[9]*k + s*kR*rS
			nsD = -s * m.expW8 * ps * (ex - 1) * mult
			add(8, s*k)
			add(9, -s*k*ls)
			add(10, s*base*ex*(1-r)*mult)
			add(20, s*kR*rW20)
			switch g {
			case 2:
				add(15, s*base*(ex-1))
			case 4:
				add(16, s*base*(ex-1))
			}
		}
	}

	// Difficulty: linear damping, then mean reversion toward D0(4).
	delta := -w[6] * float64(g-3)
	nd := d + (10-d)*delta/9
	ndD := 1 - delta/9
	ndW6 := (10 - d) * -float64(g-3) / 9
	md := w[7]*(m.d04-nd) + nd

	// New S derivatives (uses the old D derivatives).
	if !(ns > sMin && ns < sMax) {
		st.s = clamp(ns, sMin, sMax)
		st.ds = [NumParams]float64{}
	} else {
		st.s = ns
		for k := range st.ds {
			st.ds[k] *= nsS
		}
		for j := range 4 {
			st.ds[4+j] += nsD * st.dd[j]
		}
		for i := range np {
			st.ds[pk[i]] += pv[i]
		}
	}

	// New D derivatives.
	if !(md > dMin && md < dMax) {
		st.d = clamp(md, dMin, dMax)
		st.dd = [4]float64{}
	} else {
		st.d = md
		c := (1 - w[7]) * ndD
		for j := range 4 {
			st.dd[j] *= c
		}
		st.dd[0] += w[7]
		st.dd[1] += -w[7] * 3 * m.e3w5
		st.dd[2] += (1 - w[7]) * ndW6
		st.dd[3] += m.d04 - nd
	}
}

// lossGrad returns the weighted log loss of one item and adds its gradient
// to grad. st is scratch space.
func (m *model) lossGrad(reviews []ItemReview, weight float64, st *gstate, grad *[NumParams]float64) float64 {
	m.initGrad(st, int(reviews[0].Rating))
	n := len(reviews) - 1
	for _, r := range reviews[1:n] {
		m.stepGrad(st, float64(r.DeltaT), int(r.Rating))
	}
	cur := reviews[n]
	t, s := float64(cur.DeltaT), st.s
	u := 1 + m.factor*t/s
	lu := math.Log(u)
	p := math.Exp(m.decay * lu)
	pS := m.decay * p / u * (-m.factor * t / (s * s))
	pW20 := p * (-lu + m.decay/u*(t/s)*m.dFactor)
	p = clamp(p, 1e-10, 1-1e-10) // as fsrs-rs's bce_loss_grad
	var loss, dl float64
	if cur.Rating > 1 {
		loss = -weight * math.Log(p)
		dl = -weight / p
	} else {
		loss = -weight * math.Log(1-p)
		dl = weight / (1 - p)
	}
	c := dl * pS
	for k := range st.ds {
		grad[k] += c * st.ds[k]
	}
	grad[20] += dl * pW20
	return loss
}
