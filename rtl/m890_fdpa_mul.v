// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_mul -- pipelined front end of the exact FDPA (fused dot-product-accumulate).
//
// One lane step per cycle, latency exactly NUM_PIPE_REGS cycles. Computes the EXACT scaled product sum
//   S = S(sa) * S(sb) * sum_{i<n} A_i * B_i
// of one lane step and hands it on as the product bundle (see m890_fdpa_defs.vh): |S| aligned into the fixed
// window of the final add (exact-for-rounding: bits below 2^-160 collapse into one sticky bit), its sign, and
// the special-value classification. No dependency on c or rm; in_tag travels alongside unchanged.
//
// Stage 1: decode the elements and scales, integer significand products p_i = sigA_i*sigB_i, times the scale
//          significand product k (1 unless UE4M3), exponent offsets, classification.
// Stage 2: place every product into a 532-bit two's complement fixed-point accumulator whose LSB is the
//          format pair's product LSB (FP32: the product's own LSB), sum exactly, take the magnitude.
// Stage 3: align the magnitude into the window [2^-160, 2^130) plus sticky, or flag |S| >= 2^130 (HUGE).
//
// Pipeline: three cut points, after stage 1, 2 and 3. NUM_PIPE_REGS (1..3) puts a register on the last
// NUM_PIPE_REGS of them (the output is always registered: the tile's accumulate loop starts at a register);
// an unregistered cut is a wire. Latency = NUM_PIPE_REGS cycles.
// Legality of the operation (format pair, scale_fmt) is NOT decided here: the caller applies
// m890_fdpa_legal() (m890_formats.vh) and overrides the result of an illegal operation.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_fdpa_mul #(
  parameter TAG_W         = 1,  // width of the sideband carried alongside each operation (>= 1)
  parameter NUM_PIPE_REGS = 3   // pipeline registers = latency in cycles, 1..3
) (
  input  wire                  clk,
  input  wire                  rst_n,        // synchronous, active low
  input  wire                  in_valid,
  input  wire [TAG_W-1:0]      in_tag,
  input  wire [3:0]            in_fmt_a,
  input  wire [3:0]            in_fmt_b,
  input  wire [1:0]            in_scale_fmt,
  input  wire [7:0]            in_scale_a,
  input  wire [7:0]            in_scale_b,
  input  wire [31:0]           in_a,
  input  wire [31:0]           in_b,
  output wire                  out_valid,
  output wire [TAG_W-1:0]      out_tag,
  output wire [`M890_PB_W-1:0] out_pb
);

  // ---------------------------------------------------------------- parameter sanity check
  generate
    if (TAG_W < 1) begin : g_bad_tag_w
      m890_error_tag_w_must_be_at_least_1 u_error ();
    end
    if (NUM_PIPE_REGS < 1 || NUM_PIPE_REGS > 3) begin : g_bad_pipe_regs
      m890_error_num_pipe_regs_must_be_1_to_3 u_error ();
    end
  endgenerate

`include "m890_formats.vh"

  localparam ACC_W = 532;   // exact product-sum accumulator: BF16 needs 531 magnitude bits (2 x 24-bit) + sign
  localparam NAR_W = 80;    // narrow partial sum of elements 2..7 (offsets <= 58, products <= 16 bits)
  localparam WIN_W = `M890_WIN_W;
  localparam SH_W  = ACC_W + WIN_W - 1;  // 822: {M, 290 zeros} before the aligning right shift

  // ---------------------------------------------------------------- element decoders
  // Common form of a decoded element: sig = integer significand (hidden bit included), r = max(exp,1)-1,
  // so the element's value is (-1)^sign * sig * 2^(r + LSB0(fmt)), LSB0 = the format's min subnormal.

  // Element 0: every format. x = the whole lane word. {snan,nan,inf,sign,r[7:0],sig[23:0]}
  function [35:0] dec32;
    input [3:0]  fmt;
    input [31:0] x;
    reg [7:0] e; reg [22:0] m; reg s; reg inf; reg nan; reg snan; reg [7:0] emax; reg [23:0] hid;
    begin
      inf = 1'b0; nan = 1'b0; snan = 1'b0;
      case (fmt)
        `M890_FMT_FP32: begin s = x[31]; e = x[30:23];        m = x[22:0];              emax = 8'd255; end
        `M890_FMT_FP16: begin s = x[15]; e = {3'b0, x[14:10]}; m = {13'b0, x[9:0]};     emax = 8'd31;  end
        `M890_FMT_BF16: begin s = x[15]; e = x[14:7];         m = {16'b0, x[6:0]};      emax = 8'd255; end
        `M890_FMT_E4M3: begin s = x[7];  e = {4'b0, x[6:3]};  m = {20'b0, x[2:0]};      emax = 8'd0;   end
        `M890_FMT_E5M2: begin s = x[7];  e = {3'b0, x[6:2]};  m = {21'b0, x[1:0]};      emax = 8'd31;  end
        `M890_FMT_E3M2: begin s = x[5];  e = {5'b0, x[4:2]};  m = {21'b0, x[1:0]};      emax = 8'd0;   end
        `M890_FMT_E2M3: begin s = x[5];  e = {6'b0, x[4:3]};  m = {20'b0, x[2:0]};      emax = 8'd0;   end
        default: begin s = x[3]; e = {6'b0, x[2:1]}; m = {22'b0, x[0]};      emax = 8'd0;   end
      endcase
      if (emax != 8'd0 && e == emax) begin
        inf = (m == 23'd0);
        nan = (m != 23'd0);
        // sNaN: mantissa MSB clear (FP32 bit 22, FP16 bit 9, BF16 bit 6)
        snan = nan && ((fmt == `M890_FMT_FP32 && !m[22]) || (fmt == `M890_FMT_FP16 && !m[9]) || (fmt == `M890_FMT_BF16 && !m[6]));
      end
      if (fmt == `M890_FMT_E4M3 && e == 8'd15 && m[2:0] == 3'd7) nan = 1'b1;   // E4M3: S.1111.111 only
      // hidden bit just above the format's mantissa field
      case (fmt)
        `M890_FMT_FP32:    hid = {(e != 8'd0), 23'd0};
        `M890_FMT_FP16:    hid = {13'd0, (e != 8'd0), 10'd0};
        `M890_FMT_BF16:    hid = {16'd0, (e != 8'd0), 7'd0};
        `M890_FMT_E4M3:    hid = {20'd0, (e != 8'd0), 3'd0};
        `M890_FMT_E5M2:    hid = {21'd0, (e != 8'd0), 2'd0};
        `M890_FMT_E3M2:    hid = {21'd0, (e != 8'd0), 2'd0};
        `M890_FMT_E2M3:    hid = {20'd0, (e != 8'd0), 3'd0};
        default: hid = {22'd0, (e != 8'd0), 1'd0};
      endcase
      dec32 = {snan, nan, inf, s, (e == 8'd0) ? 8'd0 : e - 8'd1, hid | {1'b0, m}};
    end
  endfunction

  // Element 1: FP16/BF16 (x = upper half), 8-bit formats (x[7:0]), E2M1 (x[3:0]).
  // {snan,nan,inf,sign,r[7:0],sig[10:0]}
  function [22:0] dec16;
    input [3:0]  fmt;
    input [15:0] x;
    reg [7:0] e; reg [9:0] m; reg s; reg inf; reg nan; reg snan; reg [7:0] emax; reg [10:0] hid;
    begin
      inf = 1'b0; nan = 1'b0; snan = 1'b0;
      case (fmt)
        `M890_FMT_FP16: begin s = x[15]; e = {3'b0, x[14:10]}; m = x[9:0];          emax = 8'd31;  end
        `M890_FMT_BF16: begin s = x[15]; e = x[14:7];         m = {3'b0, x[6:0]};  emax = 8'd255; end
        `M890_FMT_E4M3: begin s = x[7];  e = {4'b0, x[6:3]};  m = {7'b0, x[2:0]};  emax = 8'd0;   end
        `M890_FMT_E5M2: begin s = x[7];  e = {3'b0, x[6:2]};  m = {8'b0, x[1:0]};  emax = 8'd31;  end
        `M890_FMT_E3M2: begin s = x[5];  e = {5'b0, x[4:2]};  m = {8'b0, x[1:0]};  emax = 8'd0;   end
        `M890_FMT_E2M3: begin s = x[5];  e = {6'b0, x[4:3]};  m = {7'b0, x[2:0]};  emax = 8'd0;   end
        default: begin s = x[3]; e = {6'b0, x[2:1]}; m = {9'b0, x[0]};   emax = 8'd0;   end
      endcase
      if (emax != 8'd0 && e == emax) begin
        inf = (m == 10'd0);
        nan = (m != 10'd0);
        snan = nan && ((fmt == `M890_FMT_FP16 && !m[9]) || (fmt == `M890_FMT_BF16 && !m[6]));
      end
      if (fmt == `M890_FMT_E4M3 && e == 8'd15 && m[2:0] == 3'd7) nan = 1'b1;
      case (fmt)
        `M890_FMT_FP16:    hid = {(e != 8'd0), 10'd0};
        `M890_FMT_BF16:    hid = {3'd0, (e != 8'd0), 7'd0};
        `M890_FMT_E4M3:    hid = {7'd0, (e != 8'd0), 3'd0};
        `M890_FMT_E5M2:    hid = {8'd0, (e != 8'd0), 2'd0};
        `M890_FMT_E3M2:    hid = {8'd0, (e != 8'd0), 2'd0};
        `M890_FMT_E2M3:    hid = {7'd0, (e != 8'd0), 3'd0};
        default: hid = {9'd0, (e != 8'd0), 1'd0};
      endcase
      dec16 = {snan, nan, inf, s, (e == 8'd0) ? 8'd0 : e - 8'd1, hid | {1'b0, m}};
    end
  endfunction

  // Elements 2, 3: 8-bit formats (x[7:0]) and E2M1 (x[3:0]). {nan,inf,sign,r[4:0],sig[3:0]}
  function [11:0] dec8;
    input [3:0] fmt;
    input [7:0] x;
    reg [4:0] e; reg [2:0] m; reg s; reg inf; reg nan;
    begin
      inf = 1'b0; nan = 1'b0;
      case (fmt)
        `M890_FMT_E4M3: begin s = x[7]; e = {1'b0, x[6:3]}; m = x[2:0];         nan = (x[6:0] == 7'h7F); end
        `M890_FMT_E5M2: begin s = x[7]; e = x[6:2];         m = {1'b0, x[1:0]};
                    inf = (x[6:0] == 7'h7C); nan = (x[6:2] == 5'h1F) && (x[1:0] != 2'd0); end
        `M890_FMT_E3M2: begin s = x[5]; e = {2'b0, x[4:2]}; m = {1'b0, x[1:0]}; end
        `M890_FMT_E2M3: begin s = x[5]; e = {3'b0, x[4:3]}; m = x[2:0];         end
        default: begin s = x[3]; e = {3'b0, x[2:1]}; m = {2'b0, x[0]}; end
      endcase
      dec8 = {nan, inf, s, (e == 5'd0) ? 5'd0 : e - 5'd1,
              (fmt == `M890_FMT_E5M2 || fmt == `M890_FMT_E3M2) ? {1'b0, (e != 5'd0), m[1:0]} :
              (fmt == `M890_FMT_E4M3 || fmt == `M890_FMT_E2M3) ? {(e != 5'd0), m} : {2'b0, (e != 5'd0), m[0]}};
    end
  endfunction

  // Elements 4..7: E2M1 only. {sign,r[1:0],sig[1:0]}
  function [4:0] dec4;
    input [3:0] x;
    begin
      dec4 = {x[3], (x[2:1] == 2'd0) ? 2'd0 : x[2:1] - 2'd1, (x[2:1] != 2'd0), x[0]};
    end
  endfunction

  // min-subnormal exponent of each format (the LSB of its integer significand at r = 0)
  function signed [11:0] lsb0;
    input [3:0] fmt;
    begin
      case (fmt)
        `M890_FMT_FP32: lsb0 = -12'sd149;
        `M890_FMT_FP16: lsb0 = -12'sd24;
        `M890_FMT_BF16: lsb0 = -12'sd133;
        `M890_FMT_E4M3: lsb0 = -12'sd9;
        `M890_FMT_E5M2: lsb0 = -12'sd16;
        `M890_FMT_E3M2: lsb0 = -12'sd4;
        `M890_FMT_E2M3: lsb0 = -12'sd3;
        default: lsb0 = -12'sd1;
      endcase
    end
  endfunction

  // ---------------------------------------------------------------- stage 1: decode + multiply
  // One combinational block per stage (evaluated once per cycle in event-driven simulators).
  reg        is8_a, is16, isfp4, fp32;
  reg [7:0]  present;                 // elements present in this format (fmt_a decides when legal)
  reg [15:0] fa1, fb1;                // element fields
  reg [7:0]  fa2, fb2, fa3, fb3;
  reg [35:0] da0, db0;                // decoded elements (see the decoder functions)
  reg [22:0] da1, db1;
  reg [11:0] da2, db2, da3, db3;
  reg [4:0]  da4, db4, da5, db5, da6, db6, da7, db7;
  reg [7:0]  sgn_a, sgn_b, zero_a, zero_b, inf_a, inf_b, nan_a, nan_b, snan_a, snan_b;
  reg [3:0]  usig_a, usig_b, uexp_a, uexp_b;
  reg [7:0]  uk;
  reg        sc_nan, sc_zero, sc_ok;  // block scales: NaN, zero (UE4M3), neither
  reg [7:0]  sc_k;                    // scale significand product (1 unless UE4M3)
  reg signed [11:0] sc_e;             // scale exponent
  reg [47:0] p0;                      // significand products
  reg [21:0] p1;
  reg [7:0]  p2, p3;
  reg [3:0]  p4, p5, p6, p7;
  reg [8:0]  o0, o1;                  // exponent offsets in units of the pair's product LSB
  reg [5:0]  o2, o3;
  reg [2:0]  o4, o5, o6, o7;
  reg signed [11:0] e_lsb;            // exponent of the accumulator LSB
  reg [7:0]  psign, prod_inf, inf_x0, pzero;
  reg        c_nan, c_nv, c_pinf, c_ninf, c_allzp, c_allzn;
  // stage-1 results, packed for cut 1 (assigned last in the block: one update per evaluation)
  localparam S1_W = TAG_W + 56 + 30 + 2*16 + 4*12 + 2*9 + 2*6 + 4*3 + 8 + 12 + 6;
  reg [S1_W-1:0] s1_d;
  always @* begin
    is8_a   = m890_fmt_is8(in_fmt_a);
    is16    = (in_fmt_a == `M890_FMT_FP16) || (in_fmt_a == `M890_FMT_BF16);
    isfp4   = (in_fmt_a == `M890_FMT_E2M1);
    fp32    = (in_fmt_a == `M890_FMT_FP32);
    present = isfp4 ? 8'hFF : is8_a ? 8'h0F : is16 ? 8'h03 : 8'h01;

    fa1 = is16 ? in_a[31:16] : isfp4 ? {12'b0, in_a[7:4]} : {8'b0, in_a[15:8]};
    fb1 = is16 ? in_b[31:16] : isfp4 ? {12'b0, in_b[7:4]} : {8'b0, in_b[15:8]};
    fa2 = isfp4 ? {4'b0, in_a[11:8]}  : in_a[23:16];
    fb2 = isfp4 ? {4'b0, in_b[11:8]}  : in_b[23:16];
    fa3 = isfp4 ? {4'b0, in_a[15:12]} : in_a[31:24];
    fb3 = isfp4 ? {4'b0, in_b[15:12]} : in_b[31:24];

    da0 = dec32(in_fmt_a, in_a);  db0 = dec32(in_fmt_b, in_b);
    da1 = dec16(in_fmt_a, fa1);   db1 = dec16(in_fmt_b, fb1);
    da2 = dec8(in_fmt_a, fa2);    db2 = dec8(in_fmt_b, fb2);
    da3 = dec8(in_fmt_a, fa3);    db3 = dec8(in_fmt_b, fb3);
    da4 = dec4(in_a[19:16]);      db4 = dec4(in_b[19:16]);
    da5 = dec4(in_a[23:20]);      db5 = dec4(in_b[23:20]);
    da6 = dec4(in_a[27:24]);      db6 = dec4(in_b[27:24]);
    da7 = dec4(in_a[31:28]);      db7 = dec4(in_b[31:28]);

    // per-element classification, bit index = element
    sgn_a  = {da7[4], da6[4], da5[4], da4[4], da3[9], da2[9], da1[19], da0[32]};
    sgn_b  = {db7[4], db6[4], db5[4], db4[4], db3[9], db2[9], db1[19], db0[32]};
    zero_a = {da7[1:0] == 2'd0, da6[1:0] == 2'd0, da5[1:0] == 2'd0, da4[1:0] == 2'd0,
              da3[3:0] == 4'd0, da2[3:0] == 4'd0, da1[10:0] == 11'd0, da0[23:0] == 24'd0};
    zero_b = {db7[1:0] == 2'd0, db6[1:0] == 2'd0, db5[1:0] == 2'd0, db4[1:0] == 2'd0,
              db3[3:0] == 4'd0, db2[3:0] == 4'd0, db1[10:0] == 11'd0, db0[23:0] == 24'd0};
    inf_a  = {4'd0, da3[10], da2[10], da1[20], da0[33]};
    inf_b  = {4'd0, db3[10], db2[10], db1[20], db0[33]};
    nan_a  = {4'd0, da3[11], da2[11], da1[21], da0[34]};
    nan_b  = {4'd0, db3[11], db2[11], db1[21], db0[34]};
    snan_a = {6'd0, da1[22], da0[35]};
    snan_b = {6'd0, db1[22], db0[35]};

    // block scales
    usig_a = {(in_scale_a[6:3] != 4'd0), in_scale_a[2:0]};
    usig_b = {(in_scale_b[6:3] != 4'd0), in_scale_b[2:0]};
    uexp_a = (in_scale_a[6:3] == 4'd0) ? 4'd1 : in_scale_a[6:3];
    uexp_b = (in_scale_b[6:3] == 4'd0) ? 4'd1 : in_scale_b[6:3];
    uk     = usig_a * usig_b;
    sc_nan = 1'b0; sc_zero = 1'b0; sc_k = 8'd1; sc_e = 12'sd0;
    case (in_scale_fmt)
      `M890_SF_E8M0: begin
        sc_nan = (in_scale_a == 8'hFF) || (in_scale_b == 8'hFF);
        sc_e   = $signed({4'b0, in_scale_a}) + $signed({4'b0, in_scale_b}) - 12'sd254;
      end
      `M890_SF_UE4M3: begin
        sc_nan  = (in_scale_a[6:0] == 7'h7F) || (in_scale_b[6:0] == 7'h7F);
        sc_k    = uk;
        sc_zero = (uk == 8'd0) && !sc_nan;
        // UE4M3 significand LSB exponent: max(e,1) - 7 - 3
        sc_e    = $signed({8'b0, uexp_a}) + $signed({8'b0, uexp_b}) - 12'sd20;
      end
      default: ;
    endcase
    sc_ok = !sc_zero && !sc_nan;

    // significand products and offsets
    p0 = da0[23:0] * db0[23:0];
    p1 = da1[10:0] * db1[10:0];
    p2 = da2[3:0] * db2[3:0];
    p3 = da3[3:0] * db3[3:0];
    p4 = da4[1:0] * db4[1:0];
    p5 = da5[1:0] * db5[1:0];
    p6 = da6[1:0] * db6[1:0];
    p7 = da7[1:0] * db7[1:0];
    o0 = {1'b0, da0[31:24]} + {1'b0, db0[31:24]};
    o1 = {1'b0, da1[18:11]} + {1'b0, db1[18:11]};
    o2 = {1'b0, da2[8:4]} + {1'b0, db2[8:4]};
    o3 = {1'b0, da3[8:4]} + {1'b0, db3[8:4]};
    o4 = {1'b0, da4[3:2]} + {1'b0, db4[3:2]};
    o5 = {1'b0, da5[3:2]} + {1'b0, db5[3:2]};
    o6 = {1'b0, da6[3:2]} + {1'b0, db6[3:2]};
    o7 = {1'b0, da7[3:2]} + {1'b0, db7[3:2]};
    // accumulator LSB: pair LSB + scale exponent (+ the single product's offset for FP32)
    e_lsb = lsb0(in_fmt_a) + lsb0(in_fmt_b) + sc_e + (fp32 ? $signed({3'b0, o0}) : 12'sd0);

    // classification
    psign    = sgn_a ^ sgn_b;
    prod_inf = (inf_a & ~zero_b & ~nan_b) | (inf_b & ~zero_a & ~nan_a);
    inf_x0   = (inf_a & zero_b) | (zero_a & inf_b);
    pzero    = zero_a | zero_b | {8{sc_zero}};
    c_nan    = (|(present & (nan_a | nan_b))) || sc_nan;
    c_nv     = (|(present & (snan_a | snan_b))) || (|(present & inf_x0)) ||
               (sc_zero && (|(present & prod_inf)));
    c_pinf   = sc_ok && (|(present & prod_inf & ~psign));
    c_ninf   = sc_ok && (|(present & prod_inf & psign));
    c_allzp  = &(~present | (pzero & ~psign));
    c_allzn  = &(~present | (pzero & psign));

    // products of absent elements are zeroed here
    s1_d = {in_tag,
            present[0] ? p0 * sc_k : 56'd0, present[1] ? p1 * sc_k : 30'd0,
            present[2] ? p2 * sc_k : 16'd0, present[3] ? p3 * sc_k : 16'd0,
            present[4] ? p4 * sc_k : 12'd0, present[5] ? p5 * sc_k : 12'd0,
            present[6] ? p6 * sc_k : 12'd0, present[7] ? p7 * sc_k : 12'd0,
            fp32 ? 9'd0 : o0, o1, o2, o3, o4, o5, o6, o7,
            psign & present, e_lsb,
            c_allzn, c_allzp, c_ninf, c_pinf, c_nv, c_nan};
  end

  wire [S1_W-1:0] s1_q;
  wire            v1;

  // ---------------------------------------------------------------- generated pipeline cuts
  // cut k (1..3) is a register when k > 3 - NUM_PIPE_REGS, else a wire; valid is reset, the data is not.
  generate
    if (NUM_PIPE_REGS >= 3) begin : g_cut1
      reg            v_q;
      reg [S1_W-1:0] d_q;
      always @(posedge clk) begin
        if (!rst_n) v_q <= 1'b0;
        else        v_q <= in_valid;
        d_q <= s1_d;
      end
      assign v1 = v_q;
      assign s1_q = d_q;
    end else begin : g_wire1
      assign v1 = in_valid;
      assign s1_q = s1_d;
    end
  endgenerate

  wire [TAG_W-1:0]  tag1;
  wire [55:0]       q0_1;
  wire [29:0]       q1_1;
  wire [15:0]       q2_1, q3_1;
  wire [11:0]       q4_1, q5_1, q6_1, q7_1;
  wire [8:0]        o0_1, o1_1;
  wire [5:0]        o2_1, o3_1;
  wire [2:0]        o4_1, o5_1, o6_1, o7_1;
  wire [7:0]        ps_1;
  wire signed [11:0] e_1;
  wire [5:0]        cls_1;   // {allzn, allzp, ninf, pinf, nv, nan}
  assign {tag1, q0_1, q1_1, q2_1, q3_1, q4_1, q5_1, q6_1, q7_1, o0_1, o1_1, o2_1, o3_1, o4_1, o5_1, o6_1, o7_1,
          ps_1, e_1, cls_1} = s1_q;

  // ---------------------------------------------------------------- stage 2: exact sum, magnitude
  // (one always block per stage: evaluated once per cycle in event-driven simulators)
  reg [ACC_W-1:0] t0, t1, acc, acc_mag, cx, cy, cz, cs;
  reg [ACC_W-2:0] maj;
  reg [NAR_W-1:0] t2, t3, t4, t5, t6, t7, nsum;
  reg             acc_neg;
  localparam S2_W = TAG_W + ACC_W + 1 + 12 + 6;
  reg [S2_W-1:0]  s2_d;     // stage-2 results, packed for cut 2
  always @* begin
    t0 = {{(ACC_W-56){1'b0}}, q0_1} << o0_1;
    t1 = {{(ACC_W-30){1'b0}}, q1_1} << o1_1;
    t2 = {{(NAR_W-16){1'b0}}, q2_1} << o2_1;
    t3 = {{(NAR_W-16){1'b0}}, q3_1} << o3_1;
    t4 = {{(NAR_W-12){1'b0}}, q4_1} << o4_1;
    t5 = {{(NAR_W-12){1'b0}}, q5_1} << o5_1;
    t6 = {{(NAR_W-12){1'b0}}, q6_1} << o6_1;
    t7 = {{(NAR_W-12){1'b0}}, q7_1} << o7_1;
    // narrow terms, plus the +1 of lane 1's two's complement negation (below)
    nsum = (ps_1[2] ? -t2 : t2) + (ps_1[3] ? -t3 : t3) + (ps_1[4] ? -t4 : t4) +
           (ps_1[5] ? -t5 : t5) + (ps_1[6] ? -t6 : t6) + (ps_1[7] ? -t7 : t7) + {{(NAR_W-1){1'b0}}, ps_1[1]};
    // acc = +-t0 +-t1 + nsum as ONE carry-save step and ONE two-operand adder (a parallel-prefix adder in
    // synthesis, not a ripple multi-operand chain): -t = ~t + 1, the +1 of t0 enters the free carry LSB.
    cx   = t0 ^ {ACC_W{ps_1[0]}};
    cy   = t1 ^ {ACC_W{ps_1[1]}};
    cz   = {{(ACC_W-NAR_W){nsum[NAR_W-1]}}, nsum};
    cs   = cx ^ cy ^ cz;
    maj  = (cx[ACC_W-2:0] & cy[ACC_W-2:0]) | (cx[ACC_W-2:0] & cz[ACC_W-2:0]) | (cy[ACC_W-2:0] & cz[ACC_W-2:0]);
    acc  = cs + {maj, ps_1[0]};
    acc_neg = acc[ACC_W-1];
    acc_mag = acc_neg ? -acc : acc;
    s2_d    = {tag1, acc_mag, acc_neg, e_1, cls_1};
  end

  wire [S2_W-1:0] s2_q;
  wire            v2;
  generate
    if (NUM_PIPE_REGS >= 2) begin : g_cut2
      reg            v_q;
      reg [S2_W-1:0] d_q;
      always @(posedge clk) begin
        if (!rst_n) v_q <= 1'b0;
        else        v_q <= v1;
        d_q <= s2_d;
      end
      assign v2 = v_q;
      assign s2_q = d_q;
    end else begin : g_wire2
      assign v2 = v1;
      assign s2_q = s2_d;
    end
  endgenerate

  wire [TAG_W-1:0]   tag2;
  wire [ACC_W-1:0]   m_2;
  wire               s_2;
  wire signed [11:0] e_2;
  wire [5:0]         cls_2;
  assign {tag2, m_2, s_2, e_2, cls_2} = s2_q;

  // ---------------------------------------------------------------- stage 3: align into the window
  // Window index j has weight 2^(j-161). M bit i (weight 2^(i+E)) lands at index i + E + 161.
  // Y = {M, 290 zeros} >> q with q = 129 - E puts M bit i at index i + E + 161.
  reg signed [11:0] q_s, t_s;
  reg               q_neg, m_nz, huge, stk;
  reg [9:0]         q_u;
  reg [10:0]        t_u;
  reg [SH_W-1:0]    y;
  reg [ACC_W-1:0]   lowmsk;
  reg [WIN_W-1:0]   win;
  always @* begin
    q_s    = 12'sd129 - e_2;
    q_neg  = q_s[11];
    q_u    = q_s[9:0];                              // 0 .. 681 when not negative
    y      = {m_2, {(WIN_W-1){1'b0}}} >> q_u;
    t_s    = q_s - 12'sd289;                        // number of M bits at window index <= 0
    t_u    = t_s[11] ? 11'd0 : t_s[10:0];
    lowmsk = ~({ACC_W{1'b1}} << t_u);
    m_nz   = |m_2;
    huge   = m_nz && (q_neg || (|y[SH_W-1:WIN_W]));
    stk    = |(m_2 & lowmsk);
    win    = (q_neg || huge) ? {WIN_W{1'b0}} : {y[WIN_W-1:1], stk | y[0]};
  end

  // cut 3 (the output) is always a register
  reg                  v3;
  reg [TAG_W-1:0]      tag3;
  reg [`M890_PB_W-1:0] pb3;
  always @(posedge clk) begin
    if (!rst_n) v3 <= 1'b0;
    else        v3 <= v2;
    tag3 <= tag2;
    pb3  <= {cls_2, s_2, huge, win};
  end

  assign out_valid = v3;
  assign out_tag   = tag3;
  assign out_pb    = pb3;

endmodule

`default_nettype wire
