// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_mul -- pipelined front end of the exact FDPA (fused dot-product-accumulate).
//
// One lane step per cycle, latency exactly NUM_PIPE_REGS cycles. Computes the EXACT scaled product sum
//   S = S(sa) * S(sb) * sum_{i<n} A_i * B_i
// of one lane step and hands it to the final add (m890_fdpa_add) in a compact form, the bundle of
// m890_fdpa_defs.vh (docs/mac.md, "The compact datapath"):
//   - every format class but BF16 with its two products far apart: S as ONE exact term A, a normalized
//     90-bit significand with its exponent (FP32 56 bits, FP16 89, E5M2 74, other 8-bit pairs <= 60,
//     E2M1 19, BF16 with the products' LSBs <= 65 apart 90);
//   - BF16 with the products' LSBs more than 65 apart ("far"): A = the larger product P alone, and the
//     smaller one Q kept apart: normalized, and pre-aligned into the final add's window frame (the part
//     of Q that lies below the window as one sticky bit), plus P as an FP32 encoding when P is one, so
//     the final add can see c = -P without a comparator;
//   - the special-value classification.
// No dependency on c or rm; in_tag travels alongside unchanged.
//
// Stage 1: decode the elements and scales; significand products (m890_mul: 24x24 for element 0,
//          11x11 for element 1, narrow ones for the rest); exponent offsets; classification.
// Stage 2: times the UE4M3 scale significand product k (1 otherwise); BF16 near/far split; every term
//          shifted to its place in a 92-bit two's complement fixed-point sum (shifts <= 65) and reduced to
//          a carry-save pair; BF16-far: Q's window placement and P's FP32 encoding.
// Stage 3: one prefix adder sums the pair exactly; magnitude; leading-zero count and normalization.
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

  localparam SUM_W = 92;    // two's complement exact sum: |S| < 2^90 in every class that reaches it
  localparam A_W   = `M890_A_W;    // 90: normalized significand of A
  localparam NEAR  = 65;    // BF16: products whose LSB offsets differ by <= NEAR are summed exactly

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
  reg        is8_a, is16, isfp4, fp32, bf16;
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
  reg [7:0]  p2, p3;                  // narrow significand products
  reg [3:0]  p4, p5, p6, p7;
  reg [8:0]  o0, o1;                  // exponent offsets in units of the pair's product LSB
  reg [5:0]  o2, o3;
  reg [2:0]  o4, o5, o6, o7;
  reg signed [11:0] e_pair;           // exponent of the pair's product LSB, scale included
  reg [7:0]  psign, prod_inf, inf_x0, pzero;
  reg        c_nan, c_nv, c_pinf, c_ninf, c_allzp, c_allzn;
  wire [47:0] p0;                     // element 0 significand product (every format)
  wire [21:0] p1;                     // element 1 (FP16 / BF16 / 8-bit / E2M1)
  m890_mul #(.AW(24), .BW(24)) u_mul0 (.a(da0[23:0]), .b(db0[23:0]), .p(p0));
  m890_mul #(.AW(11), .BW(11)) u_mul1 (.a(da1[10:0]), .b(db1[10:0]), .p(p1));
  always @* begin
    is8_a   = m890_fmt_is8(in_fmt_a);
    is16    = (in_fmt_a == `M890_FMT_FP16) || (in_fmt_a == `M890_FMT_BF16);
    isfp4   = (in_fmt_a == `M890_FMT_E2M1);
    fp32    = (in_fmt_a == `M890_FMT_FP32);
    bf16    = (in_fmt_a == `M890_FMT_BF16);
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

    // narrow significand products and the offsets
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
    e_pair = lsb0(in_fmt_a) + lsb0(in_fmt_b) + sc_e;

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
  end

  // stage-1 results, packed for cut 1
  localparam S1_W = TAG_W + 48 + 22 + 2*8 + 4*4 + 8 + 2*9 + 2*6 + 4*3 + 8 + 8 + 12 + 2 + 6;
  wire [S1_W-1:0] s1_d = {in_tag, p0, p1, p2, p3, p4, p5, p6, p7, sc_k,
                          o0, o1, o2, o3, o4, o5, o6, o7, present, psign & present, e_pair, fp32, bf16,
                          c_allzn, c_allzp, c_ninf, c_pinf, c_nv, c_nan};
  wire [S1_W-1:0] s1_q;
  wire            v1;

  // ---------------------------------------------------------------- generated pipeline cuts
  // cut k (1..3) is a register when k > 3 - NUM_PIPE_REGS, else a wire; valid is reset, the data is not.
  m890_fdpa_cut #(.W(S1_W), .REG(NUM_PIPE_REGS >= 3)) u_cut1 (
    .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_d(s1_d), .out_valid(v1), .out_d(s1_q));

  wire [TAG_W-1:0]   tag1;
  wire [47:0]        p0_1;
  wire [21:0]        p1_1;
  wire [7:0]         p2_1, p3_1;
  wire [3:0]         p4_1, p5_1, p6_1, p7_1;
  wire [7:0]         k_1;
  wire [8:0]         o0_1, o1_1;
  wire [5:0]         o2_1, o3_1;
  wire [2:0]         o4_1, o5_1, o6_1, o7_1;
  wire [7:0]         pr_1, ps_1;
  wire signed [11:0] ep_1;
  wire               fp32_1, bf16_1;
  wire [5:0]         cls_1;   // {allzn, allzp, ninf, pinf, nv, nan}
  assign {tag1, p0_1, p1_1, p2_1, p3_1, p4_1, p5_1, p6_1, p7_1, k_1, o0_1, o1_1, o2_1, o3_1, o4_1, o5_1,
          o6_1, o7_1, pr_1, ps_1, ep_1, fp32_1, bf16_1, cls_1} = s1_q;

  // ---------------------------------------------------------------- stage 2: scale, split, place
  wire [55:0] q0;   // element products times the scale significand product
  wire [29:0] q1;
  m890_mul #(.AW(48), .BW(8)) u_mulk0 (.a(p0_1), .b(k_1), .p(q0));
  m890_mul #(.AW(22), .BW(8)) u_mulk1 (.a(p1_1), .b(k_1), .p(q1));
  reg  [15:0] q2, q3;
  reg  [11:0] q4, q5, q6, q7;
  reg         z0, z1, big1, far;
  reg  [9:0]  d01, d10;
  reg  [8:0]  o_big, o_small, d, d_eff;
  reg  [6:0]  sh0, sh1;
  reg  [55:0] m0;
  reg  [29:0] m1;
  reg  [SUM_W-1:0] t0, t1, t2, t3, t4, t5, t6, t7;
  reg  [3:0]  nneg;
  reg  signed [11:0] e_lsb, eq_lsb;
  reg  [23:0] qv, pv;
  reg         qs;
  always @* begin
    q2 = p2_1 * k_1;  q3 = p3_1 * k_1;
    q4 = p4_1 * k_1;  q5 = p5_1 * k_1;  q6 = p6_1 * k_1;  q7 = p7_1 * k_1;
    // BF16: the lane with the larger offset is "big"; a zero product never is (nor makes a split)
    z0      = !pr_1[0] || (p0_1 == 48'd0);
    z1      = !pr_1[1] || (p1_1 == 22'd0);
    d01     = {1'b0, o0_1} - {1'b0, o1_1};             // both differences: no subtractor behind a mux
    d10     = {1'b0, o1_1} - {1'b0, o0_1};
    big1    = z0 ? 1'b1 : z1 ? 1'b0 : d01[9];          // o1 > o0
    o_big   = big1 ? o1_1 : o0_1;
    o_small = big1 ? o0_1 : o1_1;
    d       = d01[9] ? d10[8:0] : d01[8:0];
    d_eff   = (z0 || z1) ? 9'd0 : d;
    far     = bf16_1 && (d_eff > NEAR);
    // shifts into the fixed-point sum (FP32: the offset goes into the exponent instead)
    sh0 = fp32_1 ? 7'd0 : bf16_1 ? ((big1 || far) ? 7'd0 : d_eff[6:0]) : o0_1[6:0];
    sh1 = bf16_1 ? ((!big1 || far) ? 7'd0 : d_eff[6:0]) : o1_1[6:0];
    // far: the small product leaves the sum (it travels as Q)
    m0 = (pr_1[0] && !(far && big1))  ? q0 : 56'd0;
    m1 = (pr_1[1] && !(far && !big1)) ? q1 : 30'd0;
    // signed terms as one's complement; the +1 of every negated term is counted in nneg
    t0 = {{(SUM_W-56){1'b0}}, m0} << sh0;
    t1 = {{(SUM_W-30){1'b0}}, m1} << sh1;
    t2 = {{(SUM_W-16){1'b0}}, (pr_1[2] ? q2 : 16'd0)} << o2_1;
    t3 = {{(SUM_W-16){1'b0}}, (pr_1[3] ? q3 : 16'd0)} << o3_1;
    t4 = {{(SUM_W-12){1'b0}}, (pr_1[4] ? q4 : 12'd0)} << o4_1;
    t5 = {{(SUM_W-12){1'b0}}, (pr_1[5] ? q5 : 12'd0)} << o5_1;
    t6 = {{(SUM_W-12){1'b0}}, (pr_1[6] ? q6 : 12'd0)} << o6_1;
    t7 = {{(SUM_W-12){1'b0}}, (pr_1[7] ? q7 : 12'd0)} << o7_1;
    t0 = t0 ^ {SUM_W{ps_1[0]}};
    t1 = t1 ^ {SUM_W{ps_1[1]}};
    t2 = t2 ^ {SUM_W{ps_1[2]}};  t3 = t3 ^ {SUM_W{ps_1[3]}};
    t4 = t4 ^ {SUM_W{ps_1[4]}};  t5 = t5 ^ {SUM_W{ps_1[5]}};
    t6 = t6 ^ {SUM_W{ps_1[6]}};  t7 = t7 ^ {SUM_W{ps_1[7]}};
    nneg = {3'd0, ps_1[0]} + {3'd0, ps_1[1]} +
           {3'd0, ps_1[2]} + {3'd0, ps_1[3]} + {3'd0, ps_1[4]} + {3'd0, ps_1[5]} + {3'd0, ps_1[6]} +
           {3'd0, ps_1[7]};
    // exponent of the sum's LSB; Q's LSB exponent and value (far only)
    e_lsb  = ep_1 + (fp32_1 ? $signed({3'b0, o0_1}) : bf16_1 ? $signed({3'b0, (far ? o_big : o_big - d_eff)}) : 12'sd0);
    eq_lsb = ep_1 + $signed({3'b0, o_small});
    qv     = far ? (big1 ? q0[23:0] : q1[23:0]) : 24'd0;
    pv     = big1 ? q1[23:0] : q0[23:0];
    qs     = big1 ? ps_1[0] : ps_1[1];
  end

  // BF16-far: A will be P = pv alone, so Q's place in the final add's window and P's FP32 encoding
  // follow from the two 24-bit values and d, without waiting for the sum. The window index j weighs
  // 2^(a_exp - IA + j): Q's MSB lands at IA - (a_exp - q_exp) = IA - (d + lzq - lzp) <= 81 (d > 65);
  // q_win holds indices 1..81, q_stk says Q has a bit at index <= 0.
  wire [4:0] lzq, lzp;
  m890_lzc #(.W(24), .CW(5)) u_lzq (.x(qv), .n(lzq));
  m890_lzc #(.W(24), .CW(5)) u_lzp (.x(pv), .n(lzp));
  reg  [23:0]        q_sig, p24;
  reg  signed [11:0] q_exp, p_exp, ssh12;
  reg  [11:0]        qsh, qsm57;
  reg  [6:0]         qsh_c;
  reg  [4:0]         qcnt, ssh;
  reg                p_norm, p_sub;
  always @* begin
    q_sig  = qv << lzq;
    q_exp  = eq_lsb + 12'sd23 - $signed({7'b0, lzq});
    qsh    = {3'd0, d} + {7'd0, lzq} - {7'd0, lzp} - 12'd43;   // right shift of {q_sig, 81 zeros}
    qsh_c  = (qsh >= 12'd105) ? 7'd105 : qsh[6:0];
    qsm57  = qsh - 12'd57;                                     // the low (qsh - 57) bits land at index <= 0
    qcnt   = (qsh >= 12'd81) ? 5'd24 : (qsh <= 12'd57) ? 5'd0 : qsm57[4:0];
    // P as an FP32 encoding, when it is exactly one (normal or subnormal)
    p24    = pv << lzp;
    p_exp  = e_lsb + 12'sd23 - $signed({7'b0, lzp});          // = a_exp when far
    p_norm = (p_exp >= -12'sd126) && (p_exp <= 12'sd127);
    p_sub  = (p_exp >= -12'sd149) && (p_exp < -12'sd126);
    ssh12  = -12'sd126 - p_exp;                                // subnormal: 1 .. 23
    ssh    = p_sub ? ssh12[4:0] : 5'd0;
  end
  wire [104:0] qy;
  wire [23:0]  qmask, psub, pback;
  m890_shift #(.W(105), .SW(7)) u_qy (.x({q_sig, 81'd0}), .n(qsh_c), .y(qy));
  m890_shift #(.W(24), .SW(5), .LEFT(1)) u_qmask (.x({24{1'b1}}), .n(qcnt), .y(qmask));
  m890_shift #(.W(24), .SW(5)) u_psub (.x(p24), .n(ssh), .y(psub));
  m890_shift #(.W(24), .SW(5), .LEFT(1)) u_pback (.x(psub), .n(ssh), .y(pback));
  wire [80:0] q_win  = qy[104:24] & {81{far}};   // (qy[23:0]: Q's bits at index <= 0, q_stk)
  wire        unused_mul = d10[9] ^ (^ssh12[11:5]) ^ (^qsm57[11:5]) ^ (^qy[23:0]);
  wire        q_stk  = far & (|(q_sig & ~qmask));
  wire [30:0] p_enc  = p_norm ? {p_exp[7:0] + 8'd127, p24[22:0]} : p_sub ? {8'd0, psub[22:0]} : 31'd0;
  wire        p_repr = far & (p_norm | (p_sub & (pback == p24)));

  // the carry-save tree of the nine terms closes stage 2: cut 2 registers two words, not nine
  wire [SUM_W-1:0] sx, sy;
  m890_csa #(.W(SUM_W), .N(9)) u_tree (.t({{{(SUM_W-4){1'b0}}, nneg}, t7, t6, t5, t4, t3, t2, t1, t0}),
                                       .x(sx), .y(sy));
  localparam S2_W = TAG_W + 2*SUM_W + 12 + 12 + 24 + 81 + 1 + 31 + 1 + 2 + 6;
  wire [S2_W-1:0] s2_d = {tag1, sx, sy, e_lsb + 12'sd89,
                          q_exp, q_sig, q_win, q_stk, p_enc, p_repr, qs, far, cls_1};
  wire [S2_W-1:0] s2_q;
  wire            v2;
  m890_fdpa_cut #(.W(S2_W), .REG(NUM_PIPE_REGS >= 2)) u_cut2 (
    .clk(clk), .rst_n(rst_n), .in_valid(v1), .in_d(s2_d), .out_valid(v2), .out_d(s2_q));

  wire [TAG_W-1:0]   tag2;
  wire [SUM_W-1:0]   sx2, sy2;
  wire signed [11:0] e_top2, q_exp2;     // e_top2 = exponent of sum bit 89
  wire [23:0]        q_sig2;
  wire [80:0]        q_win2;
  wire [30:0]        p_enc2;
  wire               q_stk2, p_repr2, qs2, far2;
  wire [5:0]         cls_2;
  assign {tag2, sx2, sy2, e_top2, q_exp2, q_sig2, q_win2, q_stk2, p_enc2, p_repr2, qs2, far2, cls_2} = s2_q;

  // ---------------------------------------------------------------- stage 3: exact sum, normalize
  // acc = sx + sy (the tree's carry-save pair); |acc| = ~acc + 1 for a negative acc (an incrementer:
  // this stage has the depth to spare, the second carry chain of the final add's trick would cost area)
  wire [SUM_W-1:0] acc;
  wire [A_W-1:0]   neg_mag;
  wire             unused_c0, unused_c1;
  m890_add #(.W(SUM_W)) u_sum (.a(sx2), .b(sy2), .ci(1'b0), .s(acc), .co(unused_c0));
  wire             a_neg = acc[SUM_W-1];
  m890_add #(.W(A_W)) u_neg (.a(~acc[A_W-1:0]), .b({A_W{1'b0}}), .ci(1'b1), .s(neg_mag), .co(unused_c1));
  wire [A_W-1:0]   mag   = a_neg ? neg_mag : acc[A_W-1:0];
  wire [6:0]       lz;
  m890_lzc #(.W(A_W), .CW(7)) u_lz (.x(mag), .n(lz));
  reg  [A_W-1:0]   a_sig;
  reg  signed [11:0] a_exp;
  reg              a_zero, huge;
  always @* begin
    a_zero = (mag == {A_W{1'b0}});
    a_sig  = mag << lz;
    a_exp  = e_top2 - $signed({5'b0, lz});
    huge   = !a_zero && (a_exp >= 12'sd130);
  end

  // cut 3 (the output) is always a register
  reg                  v3;
  reg [TAG_W-1:0]      tag3;
  reg [`M890_PB_W-1:0] pb3;
  always @(posedge clk) begin
    if (!rst_n) v3 <= 1'b0;
    else        v3 <= v2;
    tag3 <= tag2;
    pb3  <= {cls_2, p_repr2, p_enc2, q_stk2, q_win2, q_exp2, q_sig2, qs2, far2, huge, a_zero, a_neg, a_exp, a_sig};
  end

  assign out_valid = v3;
  assign out_tag   = tag3;
  assign out_pb    = pb3;

endmodule

`default_nettype wire
