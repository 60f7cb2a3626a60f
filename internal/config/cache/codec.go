package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/azlforge/azldev/internal/config"
)

// The configuration cache stores the non-component part of a loaded Config
// with a small reflection-based binary codec instead of encoding/gob: gob
// drops the difference between nil and empty slices and maps, and between a
// nil pointer and a pointer to a zero value, and both matter here (an empty
// overlay-files list clears inherited patterns, image capabilities are
// tri-state). The codec supports exactly the kinds the configuration types
// use; anything else is an encoding error, and then nothing is cached.
//
// Layout: bool = 1 byte; integers = (u)varint; string = uvarint length +
// bytes; slice and map = uvarint (length+1), 0 for nil, map entries sorted by
// key; pointer = 0 (nil) or 1 + value; array and struct = their elements or
// exported fields in order. A struct with unexported fields is an encoding
// error, except for Config's cache state.

var errCodec = errors.New("config cache: malformed data")

type encoder struct{ buf []byte }

func (e *encoder) uvarint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) encode(v reflect.Value) error {
	switch v.Kind() {
	case reflect.Bool:
		e.buf = append(e.buf, boolByte(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = binary.AppendVarint(e.buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.uvarint(v.Uint())
	case reflect.String:
		e.str(v.String())
	case reflect.Slice:
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		e.uvarint(uint64(v.Len()) + 1)
		return e.elements(v)
	case reflect.Array:
		return e.elements(v)
	case reflect.Map:
		return e.encodeMap(v)
	case reflect.Pointer:
		e.buf = append(e.buf, boolByte(!v.IsNil()))
		if v.IsNil() {
			return nil
		}
		return e.encode(v.Elem())
	case reflect.Struct:
		return e.encodeStruct(v)
	default:
		return fmt.Errorf("config cache: unsupported kind %s", v.Kind())
	}
	return nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// elements encodes every element of a slice or array.
func (e *encoder) elements(v reflect.Value) error {
	for i := range v.Len() {
		if err := e.encode(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// encodeMap encodes a string-keyed map in key order (nil and empty differ).
func (e *encoder) encodeMap(v reflect.Value) error {
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("config cache: unsupported map key type %s", v.Type().Key())
	}
	if v.IsNil() {
		e.uvarint(0)
		return nil
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	e.uvarint(uint64(len(keys)) + 1)
	for _, k := range keys {
		e.str(k.String())
		if err := e.encode(v.MapIndex(k)); err != nil {
			return err
		}
	}
	return nil
}

// encodeStruct encodes the cached fields of a struct in order.
func (e *encoder) encodeStruct(v reflect.Value) error {
	fields, err := structFields(v.Type())
	if err != nil {
		return err
	}
	for _, i := range fields {
		if err := e.encode(v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

// decoder reads from a string so that decoded strings share its storage.
type decoder struct {
	s   string
	pos int
}

var (
	stringSliceType = reflect.TypeFor[[]string]()
	configType      = reflect.TypeFor[config.Config]()
	fieldCache      sync.Map // reflect.Type → []int or error
)

// structFields returns the indexes of the fields the codec stores: all of
// them, except Config's cache state. A struct with other unexported fields
// (time.Time, say) cannot be stored without loss, and is an error.
func structFields(t reflect.Type) ([]int, error) {
	if r, ok := fieldCache.Load(t); ok {
		if err, bad := r.(error); bad {
			return nil, err
		}
		return r.([]int), nil
	}
	var fields []int
	var err error
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			fields = append(fields, i)
		} else if t != configType || f.Name != "store" {
			err = fmt.Errorf("config cache: unexported field %s.%s", t, f.Name)
		}
	}
	if err != nil {
		fieldCache.Store(t, err)
		return nil, err
	}
	fieldCache.Store(t, fields)
	return fields, nil
}

func (d *decoder) uvarint() (uint64, error) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.pos >= len(d.s) {
			return 0, errCodec
		}
		b := d.s[d.pos]
		d.pos++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x, nil
		}
	}
	return 0, errCodec
}

func (d *decoder) byte() (byte, error) {
	if d.pos >= len(d.s) {
		return 0, errCodec
	}
	b := d.s[d.pos]
	d.pos++
	return b, nil
}

func (d *decoder) str() (string, error) {
	n, err := d.uvarint()
	if err != nil || n > uint64(len(d.s)-d.pos) {
		return "", errCodec
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s, nil
}

// length reads a slice or map length: -1 for nil. Every element takes at
// least one byte, so a length beyond the remaining input is corrupt.
func (d *decoder) length() (int, error) {
	n, err := d.uvarint()
	if err != nil || n > uint64(len(d.s)-d.pos)+1 {
		return 0, errCodec
	}
	return int(n) - 1, nil
}

func (d *decoder) decode(v reflect.Value) error {
	switch v.Kind() {
	case reflect.Bool:
		b, err := d.flag()
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return d.decodeInt(v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := d.uvarint()
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return errCodec
		}
		v.SetUint(u)
	case reflect.String:
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Slice:
		return d.decodeSlice(v)
	case reflect.Array:
		return d.elements(v)
	case reflect.Map:
		return d.decodeMap(v)
	case reflect.Pointer:
		return d.decodePointer(v)
	case reflect.Struct:
		return d.decodeStruct(v)
	default:
		return errCodec
	}
	return nil
}

// flag decodes a 0/1 byte.
func (d *decoder) flag() (bool, error) {
	b, err := d.byte()
	if err != nil || b > 1 {
		return false, errCodec
	}
	return b == 1, nil
}

// decodeInt decodes a zig-zag varint.
func (d *decoder) decodeInt(v reflect.Value) error {
	u, err := d.uvarint()
	if err != nil {
		return err
	}
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	if v.OverflowInt(x) {
		return errCodec
	}
	v.SetInt(x)
	return nil
}

// decodeSlice decodes a length-prefixed slice ([]string the fast way).
func (d *decoder) decodeSlice(v reflect.Value) error {
	n, err := d.length()
	if err != nil || n < 0 {
		return err
	}
	if v.Type() == stringSliceType {
		ss := make([]string, n)
		for i := range ss {
			if ss[i], err = d.str(); err != nil {
				return err
			}
		}
		v.Set(reflect.ValueOf(ss))
		return nil
	}
	s := reflect.MakeSlice(v.Type(), n, n)
	if err := d.elements(s); err != nil {
		return err
	}
	v.Set(s)
	return nil
}

// elements decodes every element of a slice or array in place.
func (d *decoder) elements(v reflect.Value) error {
	for i := range v.Len() {
		if err := d.decode(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// decodeMap decodes a length-prefixed string-keyed map.
func (d *decoder) decodeMap(v reflect.Value) error {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return errCodec
	}
	n, err := d.length()
	if err != nil || n < 0 {
		return err
	}
	m := reflect.MakeMapWithSize(t, n)
	key := reflect.New(t.Key()).Elem()
	for range n {
		k, err := d.str()
		if err != nil {
			return err
		}
		key.SetString(k)
		val := reflect.New(t.Elem()).Elem()
		if err := d.decode(val); err != nil {
			return err
		}
		m.SetMapIndex(key, val)
	}
	v.Set(m)
	return nil
}

// decodePointer decodes a presence flag and, when set, the pointed-to value.
func (d *decoder) decodePointer(v reflect.Value) error {
	present, err := d.flag()
	if err != nil || !present {
		return err
	}
	p := reflect.New(v.Type().Elem())
	if err := d.decode(p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// decodeStruct decodes the cached fields of a struct in order.
func (d *decoder) decodeStruct(v reflect.Value) error {
	fields, err := structFields(v.Type())
	if err != nil {
		return err
	}
	for _, i := range fields {
		if err := d.decode(v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

// encodeValue encodes *ptr.
func encodeValue[T any](ptr *T) ([]byte, error) {
	var e encoder
	if err := e.encode(reflect.ValueOf(ptr).Elem()); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// decodeValue decodes data (which must be consumed whole) into *ptr.
func decodeValue[T any](data string, ptr *T) (err error) {
	defer func() {
		if recover() != nil {
			err = errCodec
		}
	}()
	d := decoder{s: data}
	if err := d.decode(reflect.ValueOf(ptr).Elem()); err != nil {
		return err
	}
	if d.pos != len(d.s) {
		return errCodec
	}
	return nil
}
