// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_add -- purely combinational final stage of the exact FDPA: z = round_rm(c + S).
//
// S arrives in the product bundle (m890_fdpa_defs.vh) as |S| in a fixed window (bit j = 2^(j-161),
// bit 0 = sticky for everything below 2^-160) or as HUGE (|S| >= 2^130: overflow whatever c is).
// c (|c| < 2^128, LSB >= 2^-149) is placed into the same window, added with signs, normalized with a
// clamped leading-zero shift (subnormals land on the 2^-149 grid), rounded once with an incrementer.
// Every rounding decision (incl. tininess after rounding at 2^-150/2^-151) lies far above the sticky
// position, so the window sum rounds exactly like the exact sum.
// Legality (format pair, rm 5-7, scale_fmt) is decided by the caller with m890_fdpa_legal() (m890_formats.vh),
// which overrides the result of an illegal operation; here rm 5-7 round like RMM.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_fdpa_add (
  input  wire [`M890_PB_W-1:0] pb,
  input  wire [31:0]           c,
  input  wire [2:0]            rm,
  output wire [31:0]           z,
  output wire [4:0]            flags
);

`include "m890_formats.vh"

  localparam WIN_W = `M890_WIN_W;   // 291: window of |S|, bit 0 sticky
  localparam T_W   = WIN_W + 1;     // 292: |c + S| < 2^131 (index 291 = 2^130)

  wire [WIN_W-1:0] s_win   = pb[`M890_PB_WIN_LSB +: WIN_W];
  wire             s_huge  = pb[`M890_PB_HUGE];
  wire             s_sign  = pb[`M890_PB_SSIGN];
  wire             b_nan   = pb[`M890_PB_NAN];
  wire             b_nv    = pb[`M890_PB_NV];
  wire             b_pinf  = pb[`M890_PB_PINF];
  wire             b_ninf  = pb[`M890_PB_NINF];
  wire             b_allzp = pb[`M890_PB_ALLZP];
  wire             b_allzn = pb[`M890_PB_ALLZN];

  function rinc;  // round-up decision
    input [2:0] mode; input sgn; input lsb; input rb; input st;
    begin
      case (mode)
        `M890_RM_RNE: rinc = rb && (st || lsb);
        `M890_RM_RTZ: rinc = 1'b0;
        `M890_RM_RDN: rinc = sgn && (rb || st);
        `M890_RM_RUP: rinc = !sgn && (rb || st);
        default:      rinc = rb;                  // RMM
      endcase
    end
  endfunction

  // One combinational block (evaluated once per input change in event-driven simulators).
  reg            c_sign, c_inf, c_nan, c_snan, c_zero;
  reg [23:0]     c_sig;
  reg [8:0]      c_pos;
  reg [T_W-1:0]  cw, sw, sum, d_sc, tm, nrm;
  reg [T_W:0]    d_cs;
  reg            pinf, ninf, nv, is_nan, same, c_lt, t_sgn, t_zero;
  reg [8:0]      sa;
  reg [23:0]     sig;
  reg            rbit, stk, inc, ovf_r, inx, msb34, up24, tiny, ovf_any, o_sgn, o_inf, zs;
  reg [9:0]      expf;
  reg [32:0]     rnd;
  reg [31:0]     o_z, zr;
  reg [4:0]      fr;
  always @* begin
    // ---- c: value sig * 2^(max(e,1) - 150); its LSB lands at window index max(e,1) + 11 (12 .. 265)
    c_sign = c[31];
    c_inf  = (c[30:23] == 8'hFF) && (c[22:0] == 23'd0);
    c_nan  = (c[30:23] == 8'hFF) && (c[22:0] != 23'd0);
    c_snan = c_nan && !c[22];
    c_zero = (c[30:0] == 31'd0);
    c_sig  = {(c[30:23] != 8'd0), c[22:0]};
    c_pos  = ((c[30:23] == 8'd0) ? 9'd1 : {1'b0, c[30:23]}) + 9'd11;
    cw     = (c[30:23] == 8'hFF) ? {T_W{1'b0}} : ({{(T_W-24){1'b0}}, c_sig} << c_pos);
    sw     = {1'b0, s_win};

    // ---- special values
    pinf   = b_pinf || (c_inf && !c_sign);
    ninf   = b_ninf || (c_inf && c_sign);
    nv     = b_nv || c_snan || (pinf && ninf);
    is_nan = b_nan || c_nan || nv;

    // ---- signed add of two magnitudes (both differences computed, the right one selected)
    same   = (c_sign == s_sign);
    sum    = cw + sw;
    d_cs   = {1'b0, cw} - {1'b0, sw};
    d_sc   = sw - cw;
    c_lt   = d_cs[T_W];
    tm     = same ? sum : (c_lt ? d_sc : d_cs[T_W-1:0]);
    t_sgn  = same ? c_sign : (c_lt ? s_sign : c_sign);
    t_zero = (tm == {T_W{1'b0}});

    // ---- normalize: left shift by min(lzc, 256); index 35 = 2^-126 reaches the top (index 291) at 256
    nrm = tm; sa = 9'd0;
    if (nrm[T_W-1 -: 256] == 256'd0)                  begin nrm = nrm << 256; sa = sa + 9'd256; end
    if (nrm[T_W-1 -: 128] == 128'd0 && sa <= 9'd128) begin nrm = nrm << 128; sa = sa + 9'd128; end
    if (nrm[T_W-1 -: 64]  == 64'd0  && sa <= 9'd192) begin nrm = nrm << 64;  sa = sa + 9'd64;  end
    if (nrm[T_W-1 -: 32]  == 32'd0  && sa <= 9'd224) begin nrm = nrm << 32;  sa = sa + 9'd32;  end
    if (nrm[T_W-1 -: 16]  == 16'd0  && sa <= 9'd240) begin nrm = nrm << 16;  sa = sa + 9'd16;  end
    if (nrm[T_W-1 -: 8]   == 8'd0   && sa <= 9'd248) begin nrm = nrm << 8;   sa = sa + 9'd8;   end
    if (nrm[T_W-1 -: 4]   == 4'd0   && sa <= 9'd252) begin nrm = nrm << 4;   sa = sa + 9'd4;   end
    if (nrm[T_W-1 -: 2]   == 2'd0   && sa <= 9'd254) begin nrm = nrm << 2;   sa = sa + 9'd2;   end
    if (nrm[T_W-1]        == 1'b0   && sa <= 9'd255) begin nrm = nrm << 1;   sa = sa + 9'd1;   end

    // ---- round once (incrementer on {exponent, fraction}: carries into the exponent are right)
    sig   = nrm[T_W-1 -: 24];
    rbit  = nrm[T_W-25];
    stk   = |nrm[T_W-26:0];
    expf  = sig[23] ? (10'd257 - {1'b0, sa}) : 10'd0;   // MSB 2^(130 - sa): biased 257 - sa
    inc   = rinc(rm, t_sgn, sig[0], rbit, stk);
    rnd   = {expf, sig[22:0]} + {32'd0, inc};
    ovf_r = (rnd[32:23] >= 10'd255);
    inx   = rbit || stk;

    // ---- tininess after rounding: below 2^-126 unless the MSB is 2^-127 (index 34) and rounding that
    //      value to 24 bits (LSB 2^-150 = index 11) carries it up to 2^-126
    msb34 = (tm[T_W-1:35] == {(T_W-35){1'b0}}) && tm[34];
    up24  = msb34 && (&tm[34:11]) && rinc(rm, t_sgn, 1'b1, tm[10], |tm[9:0]);
    tiny  = (tm[T_W-1:35] == {(T_W-35){1'b0}}) && !up24;

    // ---- overflow result per rounding mode and sign
    ovf_any = s_huge || ovf_r;
    o_sgn   = s_huge ? s_sign : t_sgn;
    o_inf   = (rm == `M890_RM_RNE) || (rm == `M890_RM_RMM) || (rm == `M890_RM_RUP && !o_sgn) ||
              (rm == `M890_RM_RDN && o_sgn);
    o_z     = o_inf ? {o_sgn, 8'hFF, 23'd0} : {o_sgn, 8'hFE, 23'h7FFFFF};

    // ---- exact zero: the common sign of all-zero addends, else +0 (-0 under RDN)
    zs = (c_zero && c_sign && b_allzn) ? 1'b1 : (c_zero && !c_sign && b_allzp) ? 1'b0 : (rm == `M890_RM_RDN);

    // ---- priority of section 2
    if (is_nan) begin
      zr = `M890_QNAN; fr = {nv, 4'b0000};
    end else if (pinf || ninf) begin
      zr = {ninf, 8'hFF, 23'd0}; fr = 5'b00000;
    end else if (ovf_any) begin
      zr = o_z; fr = `M890_FLAG_OF | `M890_FLAG_NX;
    end else if (t_zero) begin
      zr = {zs, 31'd0}; fr = 5'b00000;
    end else begin
      zr = {t_sgn, rnd[30:0]}; fr = {3'b000, tiny && inx, inx};
    end
  end

  assign z     = zr;
  assign flags = fr;

endmodule

`default_nettype wire
