package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The analytics page's charts are drawn here as SVG geometry (points and rectangles in
// a fixed viewBox) that the template writes out: readable without JavaScript, nothing
// from a CDN, and no markup built from data (labels go through the template's escaping).

const (
	chartW, chartH       = 960, 240
	chartLeft, chartTop  = 56, 12
	chartRight, chartBot = 12, 28
)

// chart is one SVG chart.
type chart struct {
	Title  string
	W, H   int
	Lines  []chartLine
	Band   string // polygon points of a percentile band, or ""
	Bars   []chartBar
	YTicks []chartTick
	XTicks []chartTick
	Legend []chartLine
	Empty  bool
}

// chartLine is one series: its CSS class (its colour), its name and its points.
type chartLine struct {
	Class, Name, Points string
}

// chartBar is one bar with its label and value.
type chartBar struct {
	X, Y, W, H   float64
	Label, Value string
	LX, LY       float64
}

// chartTick is an axis label at a position.
type chartTick struct {
	X, Y float64
	Text string
}

// plotArea is the inner rectangle of a chart.
func plotArea() (x0, y0, w, h float64) {
	return chartLeft, chartTop, chartW - chartLeft - chartRight, chartH - chartTop - chartBot
}

// series is a named list of values, one per bucket.
type series struct {
	class, name string
	values      []float64
}

// lineChart draws series over labelled buckets, on one scale starting at zero; unit
// formats the axis values.
func lineChart(title string, labels []string, ss []series, unit func(float64) string) *chart {
	c := &chart{Title: title, W: chartW, H: chartH}
	top := 0.0
	for _, s := range ss {
		for _, v := range s.values {
			top = math.Max(top, v)
		}
	}
	c.Empty = len(labels) == 0
	top = niceTop(top)
	x0, y0, w, h := plotArea()
	xAt := func(i int) float64 {
		if len(labels) < 2 {
			return x0 + w/2
		}
		return x0 + w*float64(i)/float64(len(labels)-1)
	}
	yAt := func(v float64) float64 { return y0 + h - h*v/top }
	for _, s := range ss {
		var pts []string
		for i, v := range s.values {
			pts = append(pts, pt(xAt(i), yAt(v)))
		}
		l := chartLine{Class: s.class, Name: s.name, Points: strings.Join(pts, " ")}
		c.Lines = append(c.Lines, l)
		c.Legend = append(c.Legend, l)
	}
	c.YTicks = yTicks(top, unit)
	c.XTicks = xTicks(labels, xAt)
	return c
}

// bandChart draws a percentile band (low to high) with a middle line.
func bandChart(title string, labels []string, low, mid, high []float64, unit func(float64) string) *chart {
	c := lineChart(title, labels, []series{{"s-high", "p95", high}, {"s-mid", "p75", mid}, {"s-low", "p50", low}}, unit)
	if len(labels) == 0 {
		return c
	}
	// The band is the high line, then the low line backwards.
	hi := strings.Fields(c.Lines[0].Points)
	lo := strings.Fields(c.Lines[2].Points)
	for i := len(lo) - 1; i >= 0; i-- {
		hi = append(hi, lo[i])
	}
	c.Band = strings.Join(hi, " ")
	return c
}

// barChart draws one horizontal bar per label.
func barChart(title string, labels []string, values []float64) *chart {
	c := &chart{Title: title, W: chartW, Empty: len(labels) == 0}
	top := 0.0
	for _, v := range values {
		top = math.Max(top, v)
	}
	top = math.Max(top, 1)
	const row, gap, left = 26.0, 8.0, 150.0
	c.H = int(float64(len(labels))*(row+gap) + gap)
	for i, l := range labels {
		y := gap + float64(i)*(row+gap)
		bw := (chartW - left - 80) * values[i] / top
		c.Bars = append(c.Bars, chartBar{X: left, Y: y, W: math.Max(bw, 1), H: row, Label: l,
			Value: strconv.FormatFloat(values[i], 'f', -1, 64), LX: left + math.Max(bw, 1) + 6, LY: y + row/2 + 5})
	}
	return c
}

func pt(x, y float64) string { return fmt.Sprintf("%.1f,%.1f", x, y) }

// niceTop rounds a maximum up to 1, 2 or 5 times a power of ten (at least 1).
func niceTop(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func yTicks(top float64, unit func(float64) string) []chartTick {
	x0, y0, _, h := plotArea()
	var out []chartTick
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		out = append(out, chartTick{X: x0 - 6, Y: y0 + h - h*float64(i)/4 + 4, Text: unit(v)})
	}
	return out
}

// xTicks labels at most eight buckets, evenly spread.
func xTicks(labels []string, xAt func(int) float64) []chartTick {
	_, y0, _, h := plotArea()
	step := max(1, (len(labels)+7)/8)
	var out []chartTick
	for i := 0; i < len(labels); i += step {
		out = append(out, chartTick{X: xAt(i), Y: y0 + h + 18, Text: labels[i]})
	}
	return out
}

// axisCount formats an axis count.
func axisCount(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// hours formats an axis duration given in hours.
func hours(v float64) string {
	if v >= 48 {
		return strconv.FormatFloat(math.Round(v/24*10)/10, 'f', -1, 64) + " d"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " h"
}
