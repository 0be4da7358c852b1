// SPDX-License-Identifier: Apache-2.0
// m890_arith -- the arithmetic building blocks of the FDPA datapath, with their architecture pinned.
//
//   m890_add #(W)      s = a + b + ci (mod 2^W), co = carry out: a Sklansky parallel-prefix adder,
//                      ceil(log2 W) prefix levels.
//   m890_inc #(W)      s = a + 1 (mod 2^W), co = carry out: a Sklansky AND-prefix (the carry into bit i
//                      is the AND of the bits below it), one gate per prefix level.
//   m890_csa #(W, N)   x + y = the sum of N W-bit terms (mod 2^W): a carry-save (Wallace) tree of
//                      full adders, N -> 2*floor(N/3) + N%3 rows per level.
//   m890_mul #(AW, BW) p = a * b (unsigned): AND partial products, m890_csa, one m890_add.
//   m890_lzc #(W)      n = leading (TRAIL: trailing) zeros of x (W when x = 0): a binary tree, log2 W levels.
//   m890_fdpa_cut #(W, REG) one generated pipeline cut (a register or a wire), the FDPA pipeline's unit.
//   m890_shift #(W, SW, LEFT)  y = x << n or x >> n: a logarithmic shifter, one mux level per bit of n.
//                      Written as a module so that Yosys' `share` pass never merges two shifters of
//                      different pipeline stages behind a multiplexer (it did, into a false logic loop).
//
// Why the structure is written out: `make synth` maps to generic gates with ABC's area-oriented
// script (no timing target, as in the cvfpu reference rows). Given a plain `a + b` it builds a ripple
// adder (a 154-bit add: 134 gate levels) and a plain `a * b` an array multiplier (24x24: 90 levels);
// ABC's area recovery even turns a prefix adder written as RTL back into a ripple chain. The
// (* keep *) on the prefix levels of m890_add pins the designed architecture, as a dont_touch would in
// an ASIC flow (154-bit add: 22 levels); the carry-save tree needs none (24x24 multiply: 34 levels).
//
// Simulation runs behavioural twins (`+`, `*`, whole-vector shifts and log-step zero counts: an
// event-driven simulator is much faster on whole vectors than on thousands of single-bit nets);
// synthesis (`SYNTHESIS`, defined by scripts/yosys.py) and the equivalence bench (`M890_STRUCTURAL`,
// tests/test_arith.py, which checks the structural netlists against integer arithmetic) build the
// structure.
`default_nettype none
// One file holds the six small building blocks of the datapath (one manifest entry, one include for
// the behavioural/structural switch below), hence the one lint waiver:
/* verilator lint_off DECLFILENAME */
`ifdef SYNTHESIS
`define M890_ARITH_STRUCT
`endif
`ifdef M890_STRUCTURAL
`define M890_ARITH_STRUCT
`endif

module m890_add #(
  parameter W = 8
) (
  input  wire [W-1:0] a,
  input  wire [W-1:0] b,
  input  wire         ci,
  output wire [W-1:0] s,
  output wire         co
);
`ifdef M890_ARITH_STRUCT
  // bit -1 is the carry in: generate = ci, propagate = 0
  localparam N = W + 1;
  localparam L = (N <= 1) ? 1 : $clog2(N);
  (* keep *) wire [N-1:0] g [0:L];
  (* keep *) wire [N-1:0] p [0:L];
  assign g[0] = {a & b, ci};
  assign p[0] = {a ^ b, 1'b0};
  genvar l, i;
  generate
    for (l = 0; l < L; l = l + 1) begin : g_lvl
      for (i = 0; i < N; i = i + 1) begin : g_bit
        if (((i >> l) & 1) == 1) begin : g_node
          // Sklansky: bit i combines with the last bit of the preceding 2^l block
          assign g[l+1][i] = g[l][i] | (p[l][i] & g[l][((i >> l) << l) - 1]);
          assign p[l+1][i] = p[l][i] & p[l][((i >> l) << l) - 1];
        end else begin : g_pass
          assign g[l+1][i] = g[l][i];
          assign p[l+1][i] = p[l][i];
        end
      end
    end
  endgenerate
  // g[L][i] = carry out of bit i-1 (bit 0 of the vectors is the carry in)
  assign s  = p[0][N-1:1] ^ g[L][N-2:0];
  assign co = g[L][N-1];
`else
  assign {co, s} = {1'b0, a} + {1'b0, b} + {{W{1'b0}}, ci};
`endif
endmodule

module m890_inc #(
  parameter W = 8
) (
  input  wire [W-1:0] a,
  output wire [W-1:0] s,
  output wire         co
);
`ifdef M890_ARITH_STRUCT
  // v = {a, 1}: bit 0 is the +1; pr[L][i] = AND of v[i:0] = the carry into a[i]
  localparam N = W + 1;
  localparam L = (N <= 1) ? 1 : $clog2(N);
  (* keep *) wire [N-1:0] pr [0:L];
  assign pr[0] = {a, 1'b1};
  genvar l, i;
  generate
    for (l = 0; l < L; l = l + 1) begin : g_lvl
      for (i = 0; i < N; i = i + 1) begin : g_bit
        if (((i >> l) & 1) == 1) begin : g_node
          assign pr[l+1][i] = pr[l][i] & pr[l][((i >> l) << l) - 1];
        end else begin : g_pass
          assign pr[l+1][i] = pr[l][i];
        end
      end
    end
  endgenerate
  assign s  = a ^ pr[L][W-1:0];
  assign co = pr[L][W];
`else
  assign {co, s} = {1'b0, a} + {{W{1'b0}}, 1'b1};
`endif
endmodule

module m890_csa #(
  parameter W = 8,
  parameter N = 3
) (
  input  wire [W*N-1:0] t,      // term k in t[k*W +: W]
  output wire [W-1:0]   x,
  output wire [W-1:0]   y
);
`ifdef M890_ARITH_STRUCT
  // rows per level of the 3:2 reduction: n -> 2*floor(n/3) + n%3
  function integer rows_at;
    input integer lvl;
    integer n, k;
    begin
      n = N;
      for (k = 0; k < lvl; k = k + 1) n = 2 * (n / 3) + (n % 3);
      rows_at = n;
    end
  endfunction
  function integer levels;
    input integer dummy;
    integer n, k;
    begin
      n = N; k = 0;
      while (n > 2) begin n = 2 * (n / 3) + (n % 3); k = k + 1; end
      levels = k;
    end
  endfunction
  localparam NL = levels(0);
  // row r of level l lives at index l*N + r
  wire [W-1:0] row [0:(NL+1)*N-1];
  genvar l, r;
  generate
    for (r = 0; r < N; r = r + 1) begin : g_in
      assign row[r] = t[r*W +: W];
    end
    for (l = 0; l < NL; l = l + 1) begin : g_lvl
      localparam integer RN = rows_at(l);
      localparam integer G  = RN / 3;
      for (r = 0; r < G; r = r + 1) begin : g_fa
        wire [W-1:0] a = row[l*N + 3*r];
        wire [W-1:0] b = row[l*N + 3*r + 1];
        wire [W-1:0] c = row[l*N + 3*r + 2];
        wire [W-1:0] m = (a & b) | (a & c) | (b & c);
        assign row[(l+1)*N + 2*r]     = a ^ b ^ c;
        assign row[(l+1)*N + 2*r + 1] = {m[W-2:0], 1'b0};
      end
      for (r = 0; r < RN % 3; r = r + 1) begin : g_fwd
        assign row[(l+1)*N + 2*G + r] = row[l*N + 3*G + r];
      end
    end
    if (rows_at(NL) > 1) begin : g_two
      assign x = row[NL*N];
      assign y = row[NL*N + 1];
    end else begin : g_one
      assign x = row[NL*N];
      assign y = {W{1'b0}};
    end
  endgenerate
`else
  // simulation: a chain of whole-vector adds (continuous assigns, no loop over a part-select)
  wire [W-1:0] part [0:N];
  assign part[0] = {W{1'b0}};
  genvar k;
  generate
    for (k = 0; k < N; k = k + 1) begin : g_sum
      assign part[k+1] = part[k] + t[k*W +: W];
    end
  endgenerate
  assign x = part[N];
  assign y = {W{1'b0}};
`endif
endmodule

module m890_mul #(
  parameter AW = 8,
  parameter BW = 8
) (
  input  wire [AW-1:0]    a,
  input  wire [BW-1:0]    b,
  output wire [AW+BW-1:0] p
);
`ifdef M890_ARITH_STRUCT
  localparam PW = AW + BW;
  wire [PW*BW-1:0] pp;
  genvar r;
  generate
    for (r = 0; r < BW; r = r + 1) begin : g_pp
      assign pp[r*PW +: PW] = {{BW{1'b0}}, a & {AW{b[r]}}} << r;
    end
  endgenerate
  wire [PW-1:0] x, y;
  wire          unused_co;
  m890_csa #(.W(PW), .N(BW)) u_tree (.t(pp), .x(x), .y(y));
  m890_add #(.W(PW)) u_cpa (.a(x), .b(y), .ci(1'b0), .s(p), .co(unused_co));
`else
  assign p = a * b;
`endif
endmodule

module m890_lzc #(
  parameter W     = 8,
  parameter CW    = $clog2(W + 1),   // count width
  parameter TRAIL = 0                // 1: count trailing zeros instead
) (
  input  wire [W-1:0]  x,
  output wire [CW-1:0] n
);
  localparam LP = (W <= 1) ? 1 : $clog2(W);
  localparam P  = 1 << LP;        // x is padded with ones beyond its far end, so n <= W
  // the bits in counting order: MSB first (leading zeros) or LSB first (trailing zeros)
  wire [W-1:0] xo;
  genvar k;
  generate
    if (TRAIL) begin : g_rev
      for (k = 0; k < W; k = k + 1) begin : g_bit
        assign xo[k] = x[W-1-k];
      end
    end else begin : g_fwd
      assign xo = x;
    end
  endgenerate
  wire [P-1:0] xp = {xo, {(P-W){1'b1}}};
`ifdef M890_ARITH_STRUCT
  // heap: node j (1 .. 2P-1) has children 2j (more significant) and 2j+1; leaves P .. 2P-1, MSB first
  wire [2*P-1:0]    z;            // subtree all zero
  wire [2*P*LP-1:0] c;            // leading zeros of the subtree (LP bits per node)
  generate
    for (k = 0; k < P; k = k + 1) begin : g_leaf
      assign z[P + k] = ~xp[P-1-k];
      assign c[(P + k)*LP +: LP] = {LP{1'b0}};
    end
    for (k = 1; k < P; k = k + 1) begin : g_node
      localparam integer HALF = P >> $clog2(k + 1);   // leaves under each child of node k
      assign z[k] = z[2*k] & z[2*k+1];
      assign c[k*LP +: LP] = z[2*k] ? (HALF | c[(2*k+1)*LP +: LP]) : c[2*k*LP +: LP];
    end
  endgenerate
  assign z[0] = 1'b0;
  assign c[0 +: LP] = {LP{1'b0}};
  wire [LP:0] n_full = z[1] ? P : {1'b0, c[LP +: LP]};
  assign n = n_full[CW-1:0];
`else
  // simulation: log2(P) whole-vector steps (a bit loop costs an event-driven simulator W iterations)
  reg [P-1:0] v;
  reg [LP:0]  cnt;
  integer     i;
  always @* begin
    v = xp; cnt = {(LP+1){1'b0}};
    for (i = LP - 1; i >= 0; i = i - 1)
      if ((v >> (P - (1 << i))) == {P{1'b0}}) begin
        v   = v << (1 << i);
        cnt = cnt + (1 << i);
      end
    if (!v[P-1]) cnt = cnt + 1'b1;   // x = 0 (only when W = P)
  end
  wire [LP:0] n_full = cnt;
  assign n = n_full[CW-1:0];
  wire unused_lzc = ^n_full;   // the count is LP+1 bits wide inside; CW of them leave
`endif
endmodule

module m890_shift #(
  parameter W    = 8,
  parameter SW   = 3,
  parameter LEFT = 0
) (
  input  wire [W-1:0]  x,
  input  wire [SW-1:0] n,
  output wire [W-1:0]  y
);
`ifdef M890_ARITH_STRUCT
  wire [W-1:0] st [0:SW];
  assign st[0] = x;
  genvar k;
  generate
    for (k = 0; k < SW; k = k + 1) begin : g_stage
      if ((1 << k) >= W) begin : g_all
        assign st[k+1] = n[k] ? {W{1'b0}} : st[k];
      end else if (LEFT) begin : g_left
        assign st[k+1] = n[k] ? {st[k][W-1-(1<<k):0], {(1<<k){1'b0}}} : st[k];
      end else begin : g_right
        assign st[k+1] = n[k] ? {{(1<<k){1'b0}}, st[k][W-1:(1<<k)]} : st[k];
      end
    end
  endgenerate
  assign y = st[SW];
`else
  assign y = LEFT ? (x << n) : (x >> n);
`endif
endmodule

// One generated pipeline cut: a register (valid reset, data not) or a wire.
module m890_fdpa_cut #(
  parameter W   = 1,
  parameter REG = 1
) (
  input  wire         clk,
  input  wire         rst_n,
  input  wire         in_valid,
  input  wire [W-1:0] in_d,
  output wire         out_valid,
  output wire [W-1:0] out_d
);
  generate
    if (REG) begin : g_reg
      reg         v_q;
      reg [W-1:0] d_q;
      always @(posedge clk) begin
        if (!rst_n) v_q <= 1'b0;
        else        v_q <= in_valid;
        d_q <= in_d;
      end
      assign out_valid = v_q;
      assign out_d     = d_q;
    end else begin : g_wire
      assign out_valid = in_valid;
      assign out_d     = in_d;
      wire unused_clk = clk ^ rst_n;
    end
  endgenerate
endmodule

`ifdef M890_ARITH_STRUCT
  `undef M890_ARITH_STRUCT
`endif
`default_nettype wire
