package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io/fs"
	"math"
	"math/rand/v2"
	"sync"

	"broadsheet/internal/media"
)

// The demo's lead images are drawn here, so the demo needs no photographs:
// simple flat scenes, one per name used in the articles.
const imgW, imgH = 1200, 675

var scenes = map[string]func(*canvas){
	"assembly":     drawAssembly,
	"harbor":       drawHarbor,
	"market-chart": drawChart,
	"stadium":      drawStadium,
	"gallery":      drawGallery,
	"mountains":    drawMountains,
	"city-night":   drawCity,
	"classroom":    drawClassroom,
}

// writeImages stores any demo image not yet in files, under
// "demo/<name>.png".
func writeImages(ctx context.Context, files media.Storage) error {
	pngs, err := drawScenes()
	if err != nil {
		return err
	}
	for name, b := range pngs {
		key := "demo/" + name + ".png"
		f, _, err := files.Open(ctx, key)
		if err == nil {
			_ = f.Close()
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("demo: image %s: %w", name, err)
		}
		if err := files.Put(ctx, key, bytes.NewReader(b)); err != nil {
			return fmt.Errorf("demo: write image: %w", err)
		}
	}
	return nil
}

// drawScenes draws and encodes every scene once per process: loading the
// demo into several databases (as the tests do) reuses the bytes.
var drawScenes = sync.OnceValues(func() (map[string][]byte, error) {
	out := make(map[string][]byte, len(scenes))
	for name, draw := range scenes {
		c := &canvas{image.NewRGBA(image.Rect(0, 0, imgW, imgH))}
		draw(c)
		var buf bytes.Buffer
		if err := png.Encode(&buf, c.RGBA); err != nil {
			return nil, fmt.Errorf("demo: encode %s: %w", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out, nil
})

type canvas struct{ *image.RGBA }

func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255}
}

func lerp(a, b color.RGBA, t float64) color.RGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}

// gradient fills rows y0..y1 from top colour to bottom colour.
func (c *canvas) gradient(y0, y1 int, top, bottom color.RGBA) {
	for y := y0; y < y1; y++ {
		col := lerp(top, bottom, float64(y-y0)/float64(max(1, y1-y0-1)))
		c.rect(0, y, imgW, y+1, col)
	}
}

func (c *canvas) rect(x0, y0, x1, y1 int, col color.RGBA) {
	draw.Draw(c.RGBA, image.Rect(x0, y0, x1, y1), image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *canvas) ellipse(cx, cy, rx, ry int, col color.RGBA) {
	for y := cy - ry; y <= cy+ry; y++ {
		dy := float64(y-cy) / float64(ry)
		half := int(float64(rx) * math.Sqrt(max(0, 1-dy*dy)))
		c.rect(cx-half, y, cx+half+1, y+1, col) // one span per row
	}
}

// polygon fills a polygon by the even-odd rule, row by row.
func (c *canvas) polygon(col color.RGBA, pts ...image.Point) {
	minY, maxY := imgH, 0
	for _, p := range pts {
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	for y := max(0, minY); y <= min(imgH-1, maxY); y++ {
		var xs []float64
		for i := range pts {
			a, b := pts[i], pts[(i+1)%len(pts)]
			if (a.Y <= y && b.Y > y) || (b.Y <= y && a.Y > y) {
				xs = append(xs, float64(a.X)+float64(y-a.Y)*float64(b.X-a.X)/float64(b.Y-a.Y))
			}
		}
		for i := 0; i+1 < len(xs); i += 2 {
			x0, x1 := math.Min(xs[i], xs[i+1]), math.Max(xs[i], xs[i+1])
			c.rect(int(x0), y, int(x1)+1, y+1, col)
		}
	}
}

// line draws a thick segment as a run of discs.
func (c *canvas) line(x0, y0, x1, y1, width int, col color.RGBA) {
	steps := int(math.Hypot(float64(x1-x0), float64(y1-y0))) / max(1, width/3)
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(max(1, steps))
		c.ellipse(x0+int(t*float64(x1-x0)), y0+int(t*float64(y1-y0)), width/2, width/2, col)
	}
}

func drawAssembly(c *canvas) {
	c.gradient(0, 480, rgb(0x8fb4d9), rgb(0xdfe9f2))
	c.rect(0, 480, imgW, imgH, rgb(0x6b8f5e))
	c.rect(250, 330, 950, 500, rgb(0xe8e2d4))
	for x := 290; x < 930; x += 80 {
		c.rect(x, 350, x+30, 500, rgb(0xc9c1ae))
	}
	c.rect(230, 310, 970, 335, rgb(0xd7cfbd))
	c.ellipse(600, 310, 210, 150, rgb(0x5f7f8f))
	c.rect(380, 310, 820, 470, rgb(0xe8e2d4))
	c.rect(230, 310, 970, 335, rgb(0xd7cfbd))
	for x := 400; x < 800; x += 70 {
		c.rect(x, 345, x+26, 470, rgb(0xc9c1ae))
	}
	c.rect(200, 495, 1000, 520, rgb(0xbdb5a2))
}

func drawHarbor(c *canvas) {
	c.gradient(0, 400, rgb(0xf4a261), rgb(0xfde8c8))
	c.ellipse(880, 330, 70, 70, rgb(0xfff3d6))
	c.gradient(400, imgH, rgb(0x2a6f97), rgb(0x163d57))
	for y := 420; y < imgH; y += 28 {
		for x := (y / 7) % 60; x < imgW; x += 120 {
			c.rect(x, y, x+50, y+3, rgb(0x4d8fb5))
		}
	}
	for i, x := range []int{120, 300, 480} {
		h := 250 + i*20
		c.rect(x, 400-h, x+18, 400, rgb(0xc0392b))
		c.rect(x-60, 400-h, x+160, 400-h+16, rgb(0xc0392b))
		c.line(x+150, 400-h+16, x+150, 330, 3, rgb(0x333333))
	}
	c.polygon(rgb(0x263238), image.Pt(600, 400), image.Pt(1100, 400), image.Pt(1060, 460), image.Pt(640, 460))
	c.rect(940, 340, 1040, 400, rgb(0xeceff1))
}

func drawChart(c *canvas) {
	c.gradient(0, imgH, rgb(0x102a43), rgb(0x243b53))
	for y := 100; y < 620; y += 87 {
		c.rect(80, y, 1120, y+2, rgb(0x334e68))
	}
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 20; i++ {
		h := 60 + r.IntN(200)
		c.rect(100+i*51, 610-h, 130+i*51, 610, rgb(0x2f6f8f))
	}
	pts := []int{520, 500, 540, 470, 430, 450, 390, 360, 380, 320, 300, 330, 260, 230, 250, 200, 170, 190, 150, 120}
	for i := 0; i+1 < len(pts); i++ {
		c.line(110+i*51, pts[i], 110+(i+1)*51, pts[i+1], 8, rgb(0xf0b429))
	}
}

func drawStadium(c *canvas) {
	c.gradient(0, imgH, rgb(0x0b132b), rgb(0x1c2541))
	c.ellipse(600, 430, 560, 230, rgb(0x3a506b))
	c.ellipse(600, 440, 470, 170, rgb(0x2e7d32))
	c.ellipse(600, 440, 120, 50, rgb(0x388e3c))
	c.rect(596, 275, 604, 605, rgb(0xe8f5e9))
	for _, x := range []int{120, 400, 800, 1080} {
		c.rect(x-4, 60, x+4, 220, rgb(0x9aa5b1))
		c.rect(x-40, 40, x+40, 70, rgb(0xfff9c4))
	}
}

func drawGallery(c *canvas) {
	c.gradient(0, 520, rgb(0xf5f0e6), rgb(0xe9e1cf))
	c.rect(0, 520, imgW, imgH, rgb(0x8d6e63))
	frames := []struct {
		x, y, w, h int
		col        uint32
	}{{110, 150, 260, 320, 0x5d8aa8}, {470, 110, 260, 360, 0x7fae8a}, {830, 170, 260, 300, 0xb9d1c8}}
	for _, f := range frames {
		c.rect(f.x-14, f.y-14, f.x+f.w+14, f.y+f.h+14, rgb(0x3e2723))
		c.rect(f.x, f.y, f.x+f.w, f.y+f.h, rgb(f.col))
		c.ellipse(f.x+f.w/2, f.y+f.h/2, f.w/4, f.h/4, rgb(0xf2f6f5))
	}
}

func drawMountains(c *canvas) {
	c.gradient(0, imgH, rgb(0xfbc2a4), rgb(0xf7e7ce))
	c.ellipse(850, 220, 80, 80, rgb(0xfff1e0))
	c.polygon(rgb(0x8fa8c8), image.Pt(-50, 560), image.Pt(300, 200), image.Pt(650, 560))
	c.polygon(rgb(0x7b93b5), image.Pt(350, 580), image.Pt(780, 170), image.Pt(1250, 580))
	c.polygon(rgb(0x5b7290), image.Pt(-100, imgH), image.Pt(420, 330), image.Pt(900, imgH))
	c.polygon(rgb(0x445a73), image.Pt(600, imgH), image.Pt(1000, 360), image.Pt(1400, imgH))
}

func drawCity(c *canvas) {
	c.gradient(0, imgH, rgb(0x0d1b2a), rgb(0x1b263b))
	c.ellipse(1020, 110, 45, 45, rgb(0xe0e1dd))
	r := rand.New(rand.NewPCG(3, 5))
	for x := 0; x < imgW; {
		w := 70 + r.IntN(80)
		h := 180 + r.IntN(330)
		c.rect(x, imgH-h, x+w-6, imgH, rgb(0x273444))
		for wy := imgH - h + 16; wy < imgH-20; wy += 26 {
			for wx := x + 10; wx < x+w-20; wx += 20 {
				if r.IntN(3) > 0 {
					c.rect(wx, wy, wx+9, wy+13, rgb(0xf6d365))
				}
			}
		}
		x += w
	}
}

func drawClassroom(c *canvas) {
	c.gradient(0, 440, rgb(0xfdf6e3), rgb(0xf0e6cc))
	c.rect(0, 440, imgW, imgH, rgb(0xb08968))
	c.rect(160, 90, 800, 330, rgb(0x2f4f3e))
	c.rect(150, 330, 810, 345, rgb(0x8d6e63))
	c.line(220, 160, 480, 160, 6, rgb(0xeeeeee))
	c.line(220, 220, 640, 220, 6, rgb(0xeeeeee))
	c.rect(880, 90, 1080, 330, rgb(0xaed6f1))
	c.rect(975, 90, 985, 330, rgb(0xffffff))
	for row := 0; row < 2; row++ {
		for col := 0; col < 4; col++ {
			x, y := 140+col*250, 480+row*90
			c.rect(x, y, x+180, y+22, rgb(0x6d4c41))
			c.rect(x+20, y+22, x+30, y+80, rgb(0x4e342e))
			c.rect(x+150, y+22, x+160, y+80, rgb(0x4e342e))
		}
	}
}
