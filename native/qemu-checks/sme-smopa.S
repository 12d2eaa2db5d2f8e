// The SME side of sme-smopa.c (assembled with -march support from the .arch line; GNU as >= 2.38).
    .arch armv9-a+sme
    .text

    .global yq_svl_bytes
yq_svl_bytes:
    rdsvl x0, #1
    ret

// The callee-saved d8-d15 are clobbered by smstart/smstop (streaming mode resets the Z registers).
.macro save_fp
    stp d8, d9, [sp, #-64]!
    stp d10, d11, [sp, #16]
    stp d12, d13, [sp, #32]
    stp d14, d15, [sp, #48]
.endm
.macro restore_fp
    ldp d14, d15, [sp, #48]
    ldp d12, d13, [sp, #32]
    ldp d10, d11, [sp, #16]
    ldp d8, d9, [sp], #64
.endm

// One SMOPA into tile T of a zeroed ZA, then every horizontal slice of it stored to out (x3).
.macro smopa_case T
    smopa za\T\().s, p0/m, p0/m, z0.b, z1.b
    mov w12, #0
1:  st1w {za\T\()h.s[w12, 0]}, p1, [x3]
    addvl x3, x3, #1
    add w12, w12, #1
    cmp x12, x4
    b.lt 1b
    b 9f
.endm

// void yq_smopa_tile(int tile w0, const int8_t* a x1, const int8_t* b x2, int32_t* out x3, uint64_t rows x4)
    .global yq_smopa_tile
yq_smopa_tile:
    save_fp
    smstart
    ptrue p0.b
    ptrue p1.s
    ld1b {z0.b}, p0/z, [x1]
    ld1b {z1.b}, p0/z, [x2]
    zero {za}
    cmp w0, #1
    b.eq 11f
    cmp w0, #2
    b.eq 12f
    cmp w0, #3
    b.eq 13f
    smopa_case 0
11: smopa_case 1
12: smopa_case 2
13: smopa_case 3
9:  smstop
    restore_fp
    ret

// void yq_za_roundtrip(const int32_t* in x0, int32_t* out x1, uint64_t rows x2)
    .global yq_za_roundtrip
yq_za_roundtrip:
    save_fp
    smstart
    ptrue p1.s
    zero {za}
    mov w12, #0
2:  ld1w {za0h.s[w12, 0]}, p1/z, [x0]
    addvl x0, x0, #1
    add w12, w12, #1
    cmp x12, x2
    b.lt 2b
    mov w12, #0
3:  st1w {za0h.s[w12, 0]}, p1, [x1]
    addvl x1, x1, #1
    add w12, w12, #1
    cmp x12, x2
    b.lt 3b
    smstop
    restore_fp
    ret
